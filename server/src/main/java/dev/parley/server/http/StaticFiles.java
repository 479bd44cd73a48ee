package dev.parley.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The chat page and JS client, served from the classpath folder {@code web/}; read once, then kept in memory. */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    private final Map<String, Optional<HttpReply>> cache = new ConcurrentHashMap<>();

    Optional<HttpReply> get(String path) {
        String file = path.equals("/") ? "index.html" : path.substring(1);
        if (file.contains("..") || file.contains("//") || file.startsWith("/")) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(file, StaticFiles::load);
    }

    private static Optional<HttpReply> load(String file) {
        String ext = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("web/" + file)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new HttpReply(HttpResponseStatus.OK, type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
