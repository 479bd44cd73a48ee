package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code parley chat} processes, alice and bob, through a real server, across a restart of it. */
class ChatCommandTest {
    @TempDir
    Path dir;

    @Test
    void aliceAndBobChatInTwoTerminalsWithCheckMarksAcrossAServerRestart() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"));
             ChatProcess alice = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "alice", "--with", "bob");
             ChatProcess bob = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "bob", "--with", "alice")) {
            alice.awaitLine("[state] CONNECTED");
            bob.awaitLine("[state] CONNECTED");
            String aliceHeader = alice.linesStartingWith("[chat] ").get(0);
            String bobHeader = bob.linesStartingWith("[chat] ").get(0);
            String conversation = aliceHeader.split(" ")[3];
            assertThat(aliceHeader).startsWith("[chat] alice in " + conversation + " with bob");
            assertThat(bobHeader).as("both found the same 1:1").startsWith("[chat] bob in " + conversation + " with alice");

            alice.type("hello bob");
            alice.awaitLine("> me: hello bob ✓");
            bob.awaitLine("< alice: hello bob");
            alice.awaitLine("✓✓ hello bob (bob)");

            bob.type("hi alice");
            bob.awaitLine("> me: hi alice ✓");
            alice.awaitLine("< bob: hi alice");
            bob.awaitLine("✓✓ hi alice (alice)");

            server.restart();
            alice.awaitCount("[state] RECONNECTING attempt=", 1);
            bob.awaitCount("[state] RECONNECTING attempt=", 1);
            alice.awaitCount("[state] CONNECTED", 2);
            bob.awaitCount("[state] CONNECTED", 2);

            alice.type("still there?");
            alice.awaitLine("> me: still there? ✓");
            bob.awaitLine("< alice: still there?");
            alice.awaitLine("✓✓ still there? (bob)");

            alice.type("/quit");
            bob.type("/quit");
            assertThat(alice.awaitExit()).isZero();
            assertThat(bob.awaitExit()).isZero();
            assertThat(bob.linesStartingWith("< ")).containsExactly("< alice: hello bob", "< alice: still there?");
            assertThat(alice.linesStartingWith("< ")).containsExactly("< bob: hi alice");
            assertThat(alice.linesStartingWith("✓✓ ")).containsExactly("✓✓ hello bob (bob)", "✓✓ still there? (bob)");
            assertThat(alice.linesStartingWith("[error]")).isEmpty();
            assertThat(bob.linesStartingWith("[error]")).isEmpty();
            assertThat(alice.lines).last().isEqualTo("[state] CLOSED closed by the app");
        }
    }
}
