package dev.parley.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code parley chat} running as its own process: type lines into it, read its transcript. */
final class ChatProcess implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Writer stdin;
    private final Thread reader;
    final List<String> lines = new CopyOnWriteArrayList<>();

    private ChatProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chat-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ChatProcess start(Path logDir, String... chatArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, Main.class.getName(), "chat"));
        command.addAll(List.of(chatArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(logDir.resolve("chat-" + System.nanoTime() + ".err").toFile());
        return new ChatProcess(builder.start());
    }

    void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    void awaitLine(String exact) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> lines.contains(exact));
    }

    void awaitCount(String prefix, int atLeast) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> count(prefix) >= atLeast);
    }

    long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    List<String> linesStartingWith(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("chat did not exit; transcript: " + lines);
        }
        reader.join(WAIT.toMillis()); // every line it printed is in lines
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
