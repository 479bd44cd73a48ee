package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The HTTP calls the CLI makes to a dev-mode server: tokens, the 1:1 conversation, membership. */
final class DevApi {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS).build();

    DevApi(String serverUrl) {
        this.base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    }

    /**
     * The server was reached and answered with an error status. An IOException still, so the SDK's token
     * provider treats it like any failure to get a token; callers that talk to a person tell the two apart.
     */
    static final class Refused extends IOException {
        final int status;
        final String code;
        final String serverMessage;

        Refused(String request, int status, String code, String serverMessage) {
            super(request + " answered " + status + ": " + serverMessage);
            this.status = status;
            this.code = code;
            this.serverMessage = serverMessage;
        }
    }

    /** The WebSocket endpoint of the server. */
    String wsUrl() {
        return base.replaceFirst("^http", "ws") + "/ws";
    }

    /** POST /api/dev/token; throws IOException while the server is unreachable (the SDK then retries). */
    String devToken(String userId) throws IOException {
        JsonNode reply = post("/api/dev/token", null, Map.of("user_id", userId));
        return reply.get("token").asText();
    }

    /** POST /api/conversations with direct:true: creates or finds the one 1:1 conversation with {@code other}. */
    String directConversation(String token, String other) throws IOException {
        JsonNode reply = post("/api/conversations", token, Map.of("members", List.of(other), "direct", true));
        return reply.get("id").asText();
    }

    /**
     * Asks for one message of the conversation's history, which only a member may read; throws {@link Refused}
     * with 403 when the user is not a member (the server may also answer 404 for an id that does not exist).
     */
    void checkMember(String token, String conversationId) throws IOException {
        HttpUrl url = HttpUrl.get(base).newBuilder()
                .addPathSegments("api/conversations").addPathSegment(conversationId).addPathSegment("messages")
                .addQueryParameter("limit", "1").build();
        call("GET /api/conversations/{id}/messages", new Request.Builder().url(url).get(), token);
    }

    private JsonNode post(String path, String token, Object body) throws IOException {
        Request.Builder request = new Request.Builder().url(base + path)
                .post(RequestBody.create(JSON.writeValueAsString(body), JSON_TYPE));
        return call("POST " + path, request, token);
    }

    private JsonNode call(String what, Request.Builder request, String token) throws IOException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                JsonNode error = parseOrNull(text);
                error = error == null ? null : error.get("error");
                String code = error != null && error.hasNonNull("code") ? error.get("code").asText() : "";
                String message = error != null && error.hasNonNull("message")
                        ? error.get("message").asText()
                        : "HTTP " + response.code() + (text.isBlank() ? "" : " " + text.strip());
                throw new Refused(what, response.code(), code, message);
            }
            return JSON.readTree(text);
        }
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
