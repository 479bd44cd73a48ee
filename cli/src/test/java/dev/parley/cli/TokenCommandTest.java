package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
    @TempDir
    Path dir;

    @Test
    void aTokenMintedFromTheDataDirIsAcceptedByTheServerOfThatDataDir() {
        try (TestServer server = TestServer.start(dir)) {
            String token = run("token", "alice", "--data-dir", dir.toString());
            assertThat(server.get("/api/conversations", token).statusCode()).isEqualTo(200);
            assertThat(server.get("/api/conversations", token + "x").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aTokenCanAlsoComeFromARunningDevServer() {
        try (TestServer server = TestServer.start(dir)) {
            String token = run("token", "bob", "--server", server.httpUrl());
            assertThat(server.get("/api/conversations", token).statusCode()).isEqualTo(200);
        }
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).strip();
    }
}
