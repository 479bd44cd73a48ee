package dev.parley.bench.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the bench starts itself, as a separate JVM ({@code java -jar parley-server.jar --dev --port 0 ...}), so
 * its CPU and memory can be read from /proc without the generator's mixed in. Its output goes to server.log in
 * the data dir.
 */
public final class ServerProcess implements Target {
    private static final Pattern READY = Pattern.compile("Parley ready: http://localhost:(\\d+)/");

    private final Path jar;
    private final List<String> jvmArgs;
    private final List<String> serverArgs;
    private final Path dataDir;
    private Process process;
    private int port;
    private TokenMinter tokens;

    public ServerProcess(Path jar, List<String> jvmArgs, List<String> serverArgs, Path dataDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no server jar at " + jar + " (build it: mvn -B -q -o install -pl server -am -DskipTests)");
        }
        this.jar = jar;
        this.jvmArgs = jvmArgs;
        this.serverArgs = serverArgs;
        this.dataDir = dataDir;
    }

    public ServerProcess start() {
        startOn(0);
        tokens = TokenMinter.fromDevSecretFile(dataDir.resolve("dev-secret"));
        return this;
    }

    private void startOn(int wantedPort) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("--dev");
        cmd.add("--port");
        cmd.add(Integer.toString(wantedPort));
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        cmd.addAll(serverArgs);
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("server.log");
            process = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            port = awaitReady(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server: " + String.join(" ", cmd), e);
        }
    }

    /** Reads stdout until the ready line, then keeps draining it (to the log) so the server never blocks on it. */
    private static int awaitReady(Process p, Path log) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (out) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(1)));
                    }
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException("the server exited before it was ready; see " + log));
        }, "server-stdout");
        drain.setDaemon(true);
        drain.start();
        try {
            return ready.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the server did not become ready; see " + log, e);
        }
    }

    @Override
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    @Override
    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String token(String userId) {
        return tokens.mint(userId);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    /** Seconds the last restart spent stopping the old process and starting the new one. */
    private double lastStopSeconds;
    private double lastStartSeconds;

    @Override
    public void restart() {
        long t0 = System.nanoTime();
        stopProcess();
        long t1 = System.nanoTime();
        startOn(port);
        lastStopSeconds = (t1 - t0) / 1e9;
        lastStartSeconds = (System.nanoTime() - t1) / 1e9;
    }

    @Override
    public String lastRestart() {
        return String.format("stop %.2f s + start %.2f s", lastStopSeconds, lastStartSeconds);
    }

    @Override
    public boolean gc() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid()), "GC.run").redirectErrorStream(true).start();
            jcmd.getInputStream().readAllBytes();
            return jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String describe() {
        return "server process pid " + pid() + " (" + jar + " " + String.join(" ", serverArgs) + ", JVM "
                + (jvmArgs.isEmpty() ? "defaults" : String.join(" ", jvmArgs)) + ")";
    }

    /** SIGTERM: the server's graceful shutdown (acks in flight, then 1001), forced after a minute. */
    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stopProcess();
        }
    }
}
