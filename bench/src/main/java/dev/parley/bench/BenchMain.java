package dev.parley.bench;

import picocli.CommandLine;

/** {@code java -jar parley-bench.jar <scenario> ...}: the bench without the parley script. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
