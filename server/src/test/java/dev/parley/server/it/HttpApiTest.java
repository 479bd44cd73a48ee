package dev.parley.server.it;

import static dev.parley.server.testing.Json.parse;
import static dev.parley.server.testing.Json.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API around the WebSocket, including its answers to bad input (4xx JSON, never a 500). */
class HttpApiTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createListAddMembersAndPageHistory() {
        String alice = server.token("alice");
        HttpResponse<String> created = server.post("/api/conversations", alice, "{\"members\":[\"bob\"],\"title\":\"plans\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = parse(created.body());
        String id = c.get("id").asText();
        assertThat(c.get("members")).extracting(JsonNode::asText).containsExactly("alice", "bob");
        assertThat(c.get("title").asText()).isEqualTo("plans");

        try (WsClient ws = WsClient.authed(server, "alice")) {
            for (int i = 1; i <= 7; i++) {
                ws.sendMessage(id, uuid(), "m" + i);
            }
        }
        JsonNode list = parse(server.get("/api/conversations", server.token("bob")).body());
        JsonNode mine = list.get("conversations").get(0);
        assertThat(mine.get("id").asText()).isEqualTo(id);
        assertThat(mine.get("last_seq").asLong()).isEqualTo(7);

        HttpResponse<String> added = server.post("/api/conversations/" + id + "/members", alice, "{\"members\":[\"carol\"]}");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(parse(added.body()).get("members")).extracting(JsonNode::asText).contains("carol");

        JsonNode newest = parse(server.get("/api/conversations/" + id + "/messages?limit=3", server.token("carol")).body());
        assertThat(newest.get("messages").findValuesAsText("body")).containsExactly("m5", "m6", "m7");
        assertThat(newest.get("has_more").asBoolean()).isTrue();
        JsonNode older = parse(server.get("/api/conversations/" + id + "/messages?before_seq=5&limit=10", alice).body());
        assertThat(older.get("messages").findValuesAsText("body")).containsExactly("m1", "m2", "m3", "m4");
        assertThat(older.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void directConversationIsCreatedOnceThenFound() {
        HttpResponse<String> first = server.post("/api/conversations", server.token("dora"), "{\"members\":[\"ed\"],\"direct\":true}");
        HttpResponse<String> again = server.post("/api/conversations", server.token("ed"), "{\"members\":[\"dora\"],\"direct\":true}");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(parse(again.body()).get("id")).isEqualTo(parse(first.body()).get("id"));
    }

    @Test
    void badInputGets4xxJsonErrors() {
        String alice = server.token("alice");
        assertError(server.post("/api/conversations", alice, "{nope"), 400, "bad_request");
        assertError(server.post("/api/conversations", alice, "[]"), 400, "bad_request");
        assertError(server.post("/api/conversations", alice, "{\"members\":\"bob\"}"), 400, "bad_request");
        assertError(server.post("/api/conversations", alice, "{\"members\":[\"no spaces allowed\"]}"), 400, "bad_request");
        assertError(server.post("/api/conversations", alice, "{\"members\":[\"a\",\"b\"],\"direct\":true}"), 400, "bad_request");
        assertError(server.post("/api/conversations", "wrong", "{\"members\":[\"bob\"]}"), 401, "unauthenticated");
        assertError(server.post("/api/conversations", null, "{\"members\":[\"bob\"]}"), 401, "unauthenticated");
        assertError(server.get("/api/conversations/unknown/messages", alice), 404, "not_found");
        String theirs = server.createConversation("bob", "carol");
        assertError(server.get("/api/conversations/" + theirs + "/messages", alice), 403, "forbidden");
        assertError(server.post("/api/conversations/" + theirs + "/members", alice, "{\"members\":[\"alice\"]}"), 403, "forbidden");
        assertError(server.post("/api/conversations/unknown/members", alice, "{\"members\":[\"x\"]}"), 404, "not_found");
        assertError(server.get("/api/conversations/" + theirs + "/messages?limit=abc", server.token("bob")), 400, "bad_request");
        assertError(server.post("/api/dev/token", null, "{\"user_id\":\"\"}"), 400, "bad_request");
        assertError(server.get("/api/nothing-here", alice), 404, "not_found");
        assertError(server.post("/api/conversations", alice, "{\"members\":[\"" + "x".repeat(70_000) + "\"]}"), 413, "too_large");
        // The 413 closes its connection and says so: the client's next request must not land on the dead one.
        assertThat(server.post("/api/dev/token", null, "{\"user_id\":\"alice\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndMetrics() {
        assertThat(server.get("/healthz", null).statusCode()).isEqualTo(200);
        String metrics = server.get("/metrics", null).body();
        assertThat(metrics).contains("parley_connections", "parley_messages_total", "parley_ack_latency_seconds_bucket",
                "parley_store_commit_latency_seconds_bucket", "parley_slow_consumers_dropped_total", "parley_store_write_queue");
    }

    @Test
    void devTokensAndThePageAreOffOutsideDevMode() {
        try (TestServer prod = TestServer.start(dir.resolve("prod"),
                b -> b.devMode(false).jwtSecret("0123456789abcdef0123456789abcdef"))) {
            assertError(prod.post("/api/dev/token", null, "{\"user_id\":\"alice\"}"), 404, "not_found");
            assertThat(prod.get("/", null).statusCode()).isEqualTo(404);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(parse(response.body()).get("error").get("code").asText()).isEqualTo(code);
    }
}
