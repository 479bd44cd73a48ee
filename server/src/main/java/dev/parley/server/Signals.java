package dev.parley.server;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run the graceful stop and then exit 0. A plain shutdown hook would also stop the server,
 * but the JVM would then exit with 143; the signal handler lets a clean stop report success.
 */
final class Signals {
    private Signals() {
    }

    static void onTermination(Runnable stop) {
        Runnable stopAndExit = () -> {
            stop.run();
            System.exit(0);
        };
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> new Thread(stopAndExit, "parley-shutdown").start());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "parley-shutdown-hook"));
    }
}
