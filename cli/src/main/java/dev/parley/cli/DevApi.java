package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The HTTP calls the CLI makes to a dev-mode server: tokens and the 1:1 conversation. */
final class DevApi {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS).build();

    DevApi(String serverUrl) {
        this.base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
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

    private JsonNode post(String path, String token, Object body) throws IOException {
        Request.Builder request = new Request.Builder().url(base + path)
                .post(RequestBody.create(JSON.writeValueAsString(body), JSON_TYPE));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException("POST " + path + " answered " + response.code() + " " + text);
            }
            return JSON.readTree(text);
        }
    }
}
