package dev.parley.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The SDK's threads: all daemons, so a forgotten client never keeps a JVM alive. */
final class Threads {
    /** Token providers may block (a refresh over the network): they run here, never on a client's loop. */
    static final ExecutorService TOKEN_PROVIDERS = Executors.newCachedThreadPool(daemon("parley-token"));

    private Threads() {
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.incrementAndGet() == 1 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }
}
