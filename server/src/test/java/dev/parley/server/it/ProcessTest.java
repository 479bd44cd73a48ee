package dev.parley.server.it;

import static dev.parley.server.testing.Json.parse;
import static dev.parley.server.testing.Json.uuid;
import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a real process shows: acks survive SIGKILL (with the default FULL durability); SIGTERM exits 0. */
class ProcessTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyAckedMessageIsPresentAfterSigkillAndRestart() throws Exception {
        Map<String, Long> acked = new HashMap<>();
        String conversation;
        int port;
        try (ServerProcess server = ServerProcess.start(dir, 0)) {
            port = server.port();
            String alice = token(server.httpUrl(), "alice");
            conversation = parse(post(server.httpUrl() + "/api/conversations", alice, "{\"members\":[\"bob\"]}")).get("id").asText();
            try (WsClient ws = WsClient.connect(server.wsUrl())) {
                ws.send(json("type", "auth", "token", alice));
                ws.expect("auth:ok");
                for (int i = 0; i < 150; i++) {
                    ws.send(WsClient.message(conversation, uuid(), "durable " + i, "r" + i));
                }
                // Take the first 100 acks, then pull the plug while the rest may still be in flight.
                for (int i = 0; i < 100; i++) {
                    JsonNode ack = ws.expect("message:ack");
                    acked.put(ack.get("message_id").asText(), ack.get("seq").asLong());
                }
                server.kill();
                JsonNode more;
                while ((more = ws.poll(java.time.Duration.ofMillis(200))) != null) {
                    if (more.get("type").asText().equals("message:ack")) {
                        acked.put(more.get("message_id").asText(), more.get("seq").asLong());
                    }
                }
            }
        }
        try (ServerProcess again = ServerProcess.start(dir, port)) {
            String bob = token(again.httpUrl(), "bob");
            try (WsClient ws = WsClient.connect(again.wsUrl())) {
                ws.send(json("type", "auth", "token", bob));
                ws.expect("auth:ok");
                ws.send(json("type", "sync", "ref", "y1", "cursors", json(conversation, 0), "limit", 1000));
                JsonNode result = ws.expect("sync:result");
                Map<String, Long> stored = new HashMap<>();
                result.get("messages").forEach(m -> stored.put(m.get("message_id").asText(), m.get("seq").asLong()));
                assertThat(stored).containsAllEntriesOf(acked);
            }
        }
    }

    @Test
    void sigtermClosesConnectionsWith1001AndExitsZero() throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, 0)) {
            try (WsClient ws = WsClient.connect(server.wsUrl())) {
                ws.send(json("type", "auth", "token", token(server.httpUrl(), "alice")));
                ws.expect("auth:ok");
                assertThat(server.terminate()).isEqualTo(0);
                assertThat(ws.awaitClose()).isEqualTo(1001);
            }
            assertThat(server.output()).anyMatch(line -> line.contains("connection open user=alice"));
            assertThat(server.output()).anyMatch(line -> line.contains("connection closed user=alice")
                    && line.contains("reason=1001 server going away"));
            assertThat(server.output()).noneMatch(line -> line.contains("eyJ")); // no token in the log
        }
    }

    private String token(String base, String user) throws Exception {
        return parse(post(base + "/api/dev/token", null, "{\"user_id\":\"" + user + "\"}")).get("token").asText();
    }

    private String post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return r.body();
    }
}
