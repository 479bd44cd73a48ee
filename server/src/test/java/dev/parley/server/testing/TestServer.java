package dev.parley.server.testing;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Parley server in this JVM, for tests: dev mode, SQLite in a temp dir, a random port that stays the
 * same across {@link #restart()}.
 */
public final class TestServer implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final ServerConfig config;
    private ParleyServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(ServerConfig config) throws InterruptedException {
        this.server = ParleyServer.start(config);
        this.config = config.toBuilder().port(server.port()).build();
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, b -> { });
    }

    public static TestServer start(Path dataDir, Consumer<ServerConfig.Builder> customize) {
        ServerConfig.Builder builder = ServerConfig.builder()
                .host("127.0.0.1").port(0).dataDir(dataDir).devMode(true)
                .durability(ServerConfig.Durability.NORMAL)
                .shutdownGrace(Duration.ofSeconds(5));
        customize.accept(builder);
        try {
            return new TestServer(builder.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return config.port();
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port() + "/ws";
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port();
    }

    public ParleyServer server() {
        return server;
    }

    /** A valid dev token for the user, good for an hour. */
    public String token(String userId) {
        return server.devTokens().issue(userId, Duration.ofHours(1));
    }

    /** A new conversation created by the first user, with all of them as members; returns its id. */
    public String createConversation(String creator, String... others) {
        List<String> quoted = new ArrayList<>();
        Arrays.stream(others).forEach(o -> quoted.add("\"" + o + "\""));
        String body = "{\"members\":[" + String.join(",", quoted) + "]}";
        HttpResponse<String> response = post("/api/conversations", token(creator), body);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create conversation: " + response.statusCode() + " " + response.body());
        }
        Matcher m = ID.matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no id in " + response.body());
        }
        return m.group(1);
    }

    public HttpResponse<String> post(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    public HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Graceful stop, then a new server on the same port and data dir. */
    public void restart() {
        server.stop();
        try {
            server = ParleyServer.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
