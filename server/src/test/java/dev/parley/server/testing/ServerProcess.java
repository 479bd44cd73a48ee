package dev.parley.server.testing;

import dev.parley.server.ServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate OS process (the same main class as the jar), for what only a process can show:
 * SIGKILL and SIGTERM. Its output is kept for the test to read.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Parley ready: http://localhost:(\\d+)/");

    private final Process process;
    private final Thread reader;
    private final int port;
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

    private ServerProcess(Path dataDir, int port, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                "--dev", "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException("server exited before it was ready: " + output));
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        this.port = ready.orTimeout(60, TimeUnit.SECONDS).join();
    }

    public static ServerProcess start(Path dataDir, int port, String... extraArgs) throws IOException {
        return new ServerProcess(dataDir, port, extraArgs);
    }

    public int port() {
        return port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** SIGKILL: no shutdown code runs at all. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, then the exit code. Through the process handle: {@code Process.destroy()} would also close our end
     * of the server's stdout, losing everything it prints while it shuts down.
     */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server did not exit within 60 s of SIGTERM");
        }
        reader.join(10_000); // every line it printed is in output()
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
