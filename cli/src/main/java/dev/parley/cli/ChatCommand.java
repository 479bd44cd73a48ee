package dev.parley.cli;

import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyClient;
import dev.parley.server.auth.UserIds;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley chat --user alice --with bob}: a line-oriented terminal chat on the SDK, against a dev-mode server.
 * Each line typed is sent; the transcript format is documented in {@link ChatTranscript}. Anything that stops the
 * chat from starting is one {@code [error]} line and exit status 1.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat from a terminal through a dev-mode server. Type a line to send it; /quit leaves.")
final class ChatCommand implements Callable<Integer> {
    @Option(names = "--server", defaultValue = "${env:PARLEY_SERVER:-http://localhost:8080}",
            description = "The server's HTTP address (PARLEY_SERVER). Default: ${DEFAULT-VALUE}.")
    String server;
    @Option(names = "--user", required = true, description = "Who you are (a dev token is made for this user).")
    String user;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--conversation", description = "A conversation id you are a member of.")
        String conversation;
        @Option(names = "--with", description = "The other user: creates or finds your 1:1 conversation.")
        String with;
    }

    /** Why the chat cannot start, worded for the person at the terminal. */
    private static final class CannotStart extends Exception {
        CannotStart(String message) {
            super(message, null, false, false);
        }
    }

    /** A line from stdin; {@link #END} when stdin closed or the chat must stop. */
    private record Typed(String line) {
        static final Typed END = new Typed(null);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        ChatTranscript transcript = new ChatTranscript(out);
        DevApi api = new DevApi(server);
        String conversation;
        try {
            checkArguments();
            conversation = findConversation(api);
        } catch (CannotStart e) {
            transcript.line("[error] " + e.getMessage());
            return 1;
        }
        ParleyClient client = ParleyClient.builder()
                .url(api.wsUrl())
                .tokenProvider(() -> api.devToken(user))
                .listener(transcript)
                .build();
        transcript.line("[chat] " + user + " in " + conversation
                + (target.with != null ? " with " + target.with : "") + " (type a message and press Enter; /quit leaves)");
        BlockingQueue<Typed> typed = new LinkedBlockingQueue<>();
        AtomicInteger status = new AtomicInteger();
        client.connect();
        client.subscribe(List.of(conversation)).exceptionally(e -> {
            // Checked before connecting, so this is a race with a membership change: nothing to chat in.
            transcript.fatal("cannot follow " + conversation + ": " + rootMessage(e));
            status.set(1);
            typed.add(Typed.END);
            return null;
        });
        readLines(typed);

        Typed next;
        while ((next = typed.take()) != Typed.END) {
            String body = next.line().strip();
            if (body.equals("/quit")) {
                break;
            }
            if (body.isEmpty()) {
                continue;
            }
            ConnectionState.Kind state = client.state().kind();
            if (state == ConnectionState.Kind.RECONNECTING) {
                client.reconnectNow(); // someone is typing: worth trying now rather than after the backoff
            }
            if (state != ConnectionState.Kind.CONNECTED) {
                transcript.pending(body); // printed before the send, so always before its ✓
            }
            client.send(conversation, body).whenComplete((ack, error) -> {
                if (error == null) {
                    transcript.sent(ack, body);
                } else {
                    transcript.line("[error] not sent: " + body + ": " + rootMessage(error));
                }
            });
        }
        client.close();
        transcript.awaitClosed(3, TimeUnit.SECONDS);
        return status.get();
    }

    private void checkArguments() throws CannotStart {
        if (!UserIds.isValid(user)) {
            throw new CannotStart("--user " + UserIdText.invalid(user));
        }
        if (target.with != null && !UserIds.isValid(target.with)) {
            throw new CannotStart("--with " + UserIdText.invalid(target.with));
        }
        if (user.equals(target.with)) {
            throw new CannotStart("you cannot start a 1:1 with yourself; --with names the other user");
        }
    }

    /** The conversation to chat in, checked with the server so a wrong id fails here and not after connecting. */
    private String findConversation(DevApi api) throws CannotStart {
        String token;
        try {
            token = api.devToken(user);
        } catch (DevApi.Refused e) {
            throw new CannotStart(e.status == 404
                    ? server + " gives no dev tokens (is it running with --dev?): " + e.serverMessage
                    : server + " refused a token for " + user + ": " + e.serverMessage);
        } catch (IOException e) {
            throw new CannotStart("cannot reach " + server + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CannotStart(server + " is not an http:// or https:// address");
        }
        try {
            if (target.with != null) {
                return api.directConversation(token, target.with);
            }
            api.checkMember(token, target.conversation);
            return target.conversation;
        } catch (DevApi.Refused e) {
            if (target.with != null) {
                throw new CannotStart(server + " refused a 1:1 with " + target.with + ": " + e.serverMessage);
            }
            if (e.status == 403) {
                throw new CannotStart("you are not a member of conversation " + target.conversation);
            }
            throw new CannotStart(e.status == 404
                    ? "there is no conversation " + target.conversation
                    : server + " refused conversation " + target.conversation + ": " + e.serverMessage);
        } catch (IOException e) {
            throw new CannotStart("cannot reach " + server + ": " + e.getMessage());
        }
    }

    /** Stdin on its own thread, so the chat can also end without a line being typed. */
    private static void readLines(BlockingQueue<Typed> typed) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    typed.add(new Typed(line));
                }
            } catch (IOException ignored) {
                // stdin is gone: same as its end
            }
            typed.add(Typed.END);
        }, "chat-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
