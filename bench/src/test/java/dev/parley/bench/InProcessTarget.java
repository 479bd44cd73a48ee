package dev.parley.bench;

import dev.parley.bench.stats.ProcStats;
import dev.parley.bench.target.Target;
import dev.parley.server.testing.TestServer;
import java.net.URI;

/** The bench's view of an in-process {@link TestServer}: same JVM, so CPU figures mix server and generator. */
final class InProcessTarget implements Target {
    private final TestServer server;

    InProcessTarget(TestServer server) {
        this.server = server;
    }

    @Override
    public URI wsUri() {
        return URI.create(server.wsUrl());
    }

    @Override
    public URI httpUri() {
        return URI.create(server.httpUrl());
    }

    @Override
    public String token(String userId) {
        return server.token(userId);
    }

    @Override
    public long pid() {
        return ProcStats.selfPid();
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void restart() {
        server.restart();
    }

    @Override
    public String describe() {
        return "in-process test server on port " + server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
