package dev.parley.bench;

import picocli.CommandLine.Command;

/** {@code parley bench}: the load generator's scenarios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Load generator for a Parley server (protocol v1 over real WebSockets).",
                "Starts its own server from --server-jar (or targets --url), runs one scenario, prints a summary;",
                "--json FILE also writes the result. Exit code 0 only when nothing was lost, duplicated or reordered."},
        subcommands = {PairsCommand.class, FanoutCommand.class, ConnectionsCommand.class, StormCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
