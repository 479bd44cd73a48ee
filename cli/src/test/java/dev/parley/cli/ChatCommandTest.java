package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ParleyClient;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley chat} processes, alice and bob, through a real server, across a restart of it. */
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

    @Test
    void aMessageFullOfControlCharactersIsPrintedAsOneInertLine() throws Exception {
        String forged = "innocent\n[state] CONNECTED\n> me: I owe bob $1000 ✓\n\u001b[2J\u001b[31mRED\u001b[0m";
        try (TestServer server = TestServer.start(dir.resolve("data"));
             ChatProcess alice = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "alice", "--with", "bob")) {
            alice.awaitLine("[state] CONNECTED");
            String conversation = alice.linesStartingWith("[chat] ").get(0).split(" ")[3];

            sendAs(server, "bob", conversation, forged);
            sendAs(server, "bob", conversation, "bidi \u202Egnp.exe, isolate \u2066x\u2069, separator \u2028, C1 \u009b2J");

            alice.awaitLine("< bob: innocent⏎[state] CONNECTED⏎> me: I owe bob $1000 ✓⏎\\u001B[2J\\u001B[31mRED\\u001B[0m");
            alice.awaitLine("< bob: bidi \\u202Egnp.exe, isolate \\u2066x\\u2069, separator \\u2028, C1 \\u009B2J");
            alice.type("/quit");
            assertThat(alice.awaitExit()).isZero();
            assertThat(alice.linesStartingWith("< ")).hasSize(2);
            assertThat(alice.count("[state] CONNECTED")).isEqualTo(1);
            assertThat(alice.linesStartingWith("> me:")).isEmpty();
            assertThat(alice.lines).allSatisfy(line -> assertThat(line.chars().noneMatch(c -> TerminalText.isUnsafe((char) c))).isTrue());
        }
    }

    @Test
    void aLineTypedWhileTheServerIsDownShowsPendingUntilItsAckTicksIt() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"));
             ChatProcess alice = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "alice", "--with", "bob");
             ChatProcess bob = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "bob", "--with", "alice")) {
            alice.awaitLine("[state] CONNECTED");
            bob.awaitLine("[state] CONNECTED");

            server.stop();
            alice.awaitCount("[state] RECONNECTING attempt=", 1);
            alice.type("typed offline");
            alice.awaitLine("> me: typed offline …");
            server.restart();
            alice.awaitLine("> me: typed offline ✓");
            bob.awaitLine("< alice: typed offline");

            alice.type("/quit");
            bob.type("/quit");
            assertThat(alice.awaitExit()).isZero();
            assertThat(bob.awaitExit()).isZero();
            assertThat(alice.linesStartingWith("> me: ")).containsExactly("> me: typed offline …", "> me: typed offline ✓");
            assertThat(bob.linesStartingWith("< ")).containsExactly("< alice: typed offline");
        }
    }

    @Test
    void aChatWithYourselfIsOneClearErrorAndExitStatusOne() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"));
             ChatProcess alice = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "alice", "--with", "alice")) {
            assertThat(alice.awaitExit()).isEqualTo(1);
            assertThat(alice.lines).containsExactly("[error] you cannot start a 1:1 with yourself; --with names the other user");
        }
    }

    @Test
    void aConversationThatIsNotYoursIsOneClearErrorAndExitStatusOne() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            String theirs = server.createConversation("bob", "carol");
            try (ChatProcess alice = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "alice", "--conversation", theirs);
                 ChatProcess nowhere = ChatProcess.start(dir, "--server", server.httpUrl(), "--user", "alice", "--conversation", "c_nope")) {
                assertThat(alice.awaitExit()).isEqualTo(1);
                assertThat(nowhere.awaitExit()).isEqualTo(1);
                assertThat(alice.lines).containsExactly("[error] you are not a member of conversation " + theirs);
                assertThat(nowhere.lines).singleElement().asString()
                        .isIn("[error] there is no conversation c_nope", "[error] you are not a member of conversation c_nope");
            }
        }
    }

    @Test
    void aServerThatAnswersIsNeverCalledUnreachable() throws Exception {
        try (TestServer production = TestServer.start(dir.resolve("data"), b -> b.devMode(false).jwtSecret("s".repeat(32)));
             ChatProcess alice = ChatProcess.start(dir, "--server", production.httpUrl(), "--user", "alice", "--with", "bob");
             ChatProcess badName = ChatProcess.start(dir, "--server", production.httpUrl(), "--user", "alice", "--with", "bob smith");
             ChatProcess nobody = ChatProcess.start(dir, "--server", "http://127.0.0.1:1", "--user", "alice", "--with", "bob")) {
            assertThat(alice.awaitExit()).isEqualTo(1);
            assertThat(alice.lines).containsExactly("[error] " + production.httpUrl()
                    + " gives no dev tokens (is it running with --dev?): dev tokens are only issued in dev mode");
            assertThat(badName.awaitExit()).isEqualTo(1);
            assertThat(badName.lines).containsExactly(
                    "[error] --with \"bob smith\" is not a valid user id (1..64 characters of A-Z a-z 0-9 . _ @ -)");
            assertThat(nobody.awaitExit()).isEqualTo(1);
            assertThat(nobody.lines).singleElement().asString().startsWith("[error] cannot reach http://127.0.0.1:1: ");
        }
    }

    private static void sendAs(TestServer server, String user, String conversation, String body) throws Exception {
        try (ParleyClient client = ParleyClient.builder().url(server.wsUrl()).tokenProvider(() -> server.token(user)).build()) {
            client.connect();
            client.send(conversation, body).get(30, TimeUnit.SECONDS);
        }
    }
}
