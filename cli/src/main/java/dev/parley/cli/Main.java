package dev.parley.cli;

import dev.parley.bench.BenchCommand;
import dev.parley.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code parley}: the server, dev tokens, a terminal chat and the load generator in one command. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "parley 0.1.0",
        description = "Parley: run a server, mint a dev token, chat from a terminal, or load-test a server.")
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .addSubcommand("server", new ServerCommand())
                .addSubcommand("token", new TokenCommand())
                .addSubcommand("chat", new ChatCommand())
                .addSubcommand("bench", new BenchCommand());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: server, token, chat or bench");
    }
}
