package dev.parley.cli;

import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyClient;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley chat --user alice --with bob}: a line-oriented terminal chat on the SDK, against a dev-mode server.
 * Each line typed is sent; the transcript format is documented in {@link ChatTranscript}.
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

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DevApi api = new DevApi(server);
        String conversation;
        try {
            conversation = target.with != null
                    ? api.directConversation(api.devToken(user), target.with)
                    : target.conversation;
        } catch (IOException e) {
            out.println("[error] cannot reach " + server + ": " + e.getMessage());
            return 1;
        }
        ChatTranscript transcript = new ChatTranscript(out);
        ParleyClient client = ParleyClient.builder()
                .url(api.wsUrl())
                .tokenProvider(() -> api.devToken(user))
                .listener(transcript)
                .build();
        transcript.line("[chat] " + user + " in " + conversation
                + (target.with != null ? " with " + target.with : "") + " (type a message and press Enter; /quit leaves)");
        client.connect();
        client.subscribe(List.of(conversation)).exceptionally(e -> {
            transcript.line("[error] cannot follow " + conversation + ": " + rootMessage(e));
            return null;
        });

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String body = line.strip();
            if (body.equals("/quit")) {
                break;
            }
            if (body.isEmpty()) {
                continue;
            }
            if (client.state().kind() == ConnectionState.Kind.RECONNECTING) {
                client.reconnectNow(); // someone is typing: worth trying now rather than after the backoff
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
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
