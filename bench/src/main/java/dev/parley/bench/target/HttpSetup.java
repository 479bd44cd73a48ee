package dev.parley.bench.target;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REST calls of a scenario's setup: creating conversations, many at a time so the server's group commit batches them. */
public final class HttpSetup {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final URI base;
    private final HttpClient http;
    private final Semaphore inFlight;

    public HttpSetup(URI base, int concurrency) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        this.inFlight = new Semaphore(concurrency);
    }

    /** A conversation made by {@code creatorToken}'s user with the others as members; the future holds its id. */
    public CompletableFuture<String> createConversation(String creatorToken, List<String> others, boolean direct) {
        StringBuilder body = new StringBuilder("{\"members\":[");
        for (int i = 0; i < others.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(others.get(i)).append('"');
        }
        body.append(direct ? "],\"direct\":true}" : "]}");
        return post("/api/conversations", creatorToken, body.toString()).thenApply(HttpSetup::id);
    }

    /** Adds members to a conversation (the API takes at most 1,000 per call). */
    public CompletableFuture<String> addMembers(String token, String conversationId, List<String> members) {
        StringBuilder body = new StringBuilder("{\"members\":[");
        for (int i = 0; i < members.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(members.get(i)).append('"');
        }
        return post("/api/conversations/" + conversationId + "/members", token, body.append("]}").toString());
    }

    private static String id(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return m.group(1);
    }

    /** Bounded: waits for a free slot, so thousands of calls never open thousands of sockets. */
    public CompletableFuture<String> post(String path, String token, String json) {
        inFlight.acquireUninterruptibly();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release())
                .thenApply(r -> {
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
                    }
                    return r.body();
                });
    }

    public String postJson(String path, String token, String json) {
        return post(path, token, json).join();
    }

    public String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs all the calls and waits for them: the list of results in order. */
    public static <T> List<T> all(List<CompletableFuture<T>> calls) {
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).join();
        List<T> out = new ArrayList<>(calls.size());
        calls.forEach(c -> out.add(c.join()));
        return out;
    }
}
