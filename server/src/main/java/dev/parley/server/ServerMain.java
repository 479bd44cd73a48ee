package dev.parley.server;

import picocli.CommandLine;

/** {@code java -jar parley-server.jar [flags]}: the server alone; the {@code parley} CLI offers the same command. */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ServerCommand()).execute(args);
        System.exit(code);
    }
}
