package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
    @TempDir
    Path dir;

    @Test
    void aTokenMintedFromTheDataDirIsAcceptedByTheServerOfThatDataDir() {
        try (TestServer server = TestServer.start(dir)) {
            String token = run(0, "token", "alice", "--data-dir", dir.toString()).out;
            assertThat(server.get("/api/conversations", token).statusCode()).isEqualTo(200);
            assertThat(server.get("/api/conversations", token + "x").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aTokenCanAlsoComeFromARunningDevServer() {
        try (TestServer server = TestServer.start(dir)) {
            String token = run(0, "token", "bob", "--server", server.httpUrl()).out;
            assertThat(server.get("/api/conversations", token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutADevSecretInTheDataDirItSaysHowToGetOneAndCreatesNothing() {
        Path data = dir.resolve("data");

        Output result = run(1, "token", "alice", "--data-dir", data.toString());

        assertThat(result.out).isEmpty();
        assertThat(result.err).isEqualTo("parley token: no dev secret in " + data
                + " — start the server with --dev --data-dir " + data + " first, or use --server URL");
        assertThat(Files.exists(data)).as("no data dir made").isFalse();
    }

    @Test
    void anInvalidUserIdIsRefusedWithOneLine() {
        try (TestServer ignored = TestServer.start(dir)) {
            for (String bad : new String[] {"", "bob smith", "x".repeat(65), "bob\u001b[2J"}) {
                Output result = run(1, "token", bad, "--data-dir", dir.toString());
                assertThat(result.out).isEmpty();
                assertThat(result.err).as(bad).isEqualTo("parley token: \"" + TerminalText.escape(bad)
                        + "\" is not a valid user id (1..64 characters of A-Z a-z 0-9 . _ @ -)");
            }
            assertThat(run(0, "token", "a.b_c@d-e", "--data-dir", dir.toString()).out).isNotBlank();
        }
    }

    @Test
    void aServerThatIsNotReachableIsOneLine() {
        Output result = run(1, "token", "alice", "--server", "http://127.0.0.1:1");
        assertThat(result.out).isEmpty();
        assertThat(result.err).startsWith("parley token: cannot reach http://127.0.0.1:1: ").doesNotContain("\n");
    }

    private record Output(String out, String err) {
    }

    private static Output run(int expectedStatus, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.commandLine().execute(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        Output result = new Output(out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8).strip());
        assertThat(status).as("exit status; output: %s", result).isEqualTo(expectedStatus);
        return result;
    }
}
