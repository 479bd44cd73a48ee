package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.server.auth.AuthException;
import dev.parley.server.auth.TokenIssuer;
import dev.parley.server.auth.TokenVerifier;
import dev.parley.server.auth.UserIds;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.Rejection;
import dev.parley.server.store.Store;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plain HTTP request: the REST API, health, metrics, dev tokens and (in dev mode) the chat page.
 * Store work runs on the store's threads; the response is written when it completes.
 */
@ChannelHandler.Sharable
public final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpApiHandler.class);
    private static final Duration DEV_TOKEN_TTL = Duration.ofHours(24);

    private final Store store;
    private final TokenVerifier tokens;
    private final TokenIssuer devTokens;
    private final ServerMetrics metrics;
    private final ConversationsApi conversations;
    private final StaticFiles staticFiles = new StaticFiles();

    /** @param devTokens the dev-mode token issuer, or null when dev mode is off */
    public HttpApiHandler(Store store, TokenVerifier tokens, TokenIssuer devTokens, ServerMetrics metrics) {
        this.store = store;
        this.tokens = tokens;
        this.devTokens = devTokens;
        this.metrics = metrics;
        this.conversations = new ConversationsApi(store);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompletableFuture<HttpReply> reply;
        try {
            reply = route(request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, e) -> respond(ctx, keepAlive, r != null ? r : errorReply(e)));
    }

    private CompletableFuture<HttpReply> route(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            throw HttpError.badRequest("malformed HTTP request");
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        HttpMethod method = request.method();
        if (path.equals("/healthz") && method.equals(HttpMethod.GET)) {
            return health();
        }
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            return done(HttpReply.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        }
        if (path.equals("/api/dev/token")) {
            requireMethod(method, HttpMethod.POST);
            return done(devToken(json(request)));
        }
        if (path.equals("/api/conversations")) {
            String user = authenticate(request);
            if (method.equals(HttpMethod.POST)) {
                return conversations.create(user, json(request));
            }
            if (!method.equals(HttpMethod.GET)) {
                throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.BAD_REQUEST, "use GET or POST");
            }
            return conversations.list(user);
        }
        if (path.startsWith("/api/conversations/")) {
            String[] parts = path.substring("/api/conversations/".length()).split("/", -1);
            if (parts.length == 2 && parts[1].equals("members")) {
                requireMethod(method, HttpMethod.POST);
                return conversations.addMembers(authenticate(request), parts[0], json(request));
            }
            if (parts.length == 2 && parts[1].equals("messages")) {
                requireMethod(method, HttpMethod.GET);
                return conversations.history(authenticate(request), parts[0], param(uri, "before_seq"), param(uri, "limit"));
            }
        }
        if (devTokens != null && method.equals(HttpMethod.GET) && !path.startsWith("/api/")) {
            return staticFiles.get(path).map(HttpApiHandler::done).orElseGet(HttpApiHandler::notFound);
        }
        return notFound();
    }

    private CompletableFuture<HttpReply> health() {
        return store.checkWritable()
                .orTimeout(5, TimeUnit.SECONDS)
                .handle((ok, e) -> e == null
                        ? HttpReply.json(HttpResponseStatus.OK, Map.of("status", "ok"))
                        : HttpReply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("status", "store not writable")));
    }

    private HttpReply devToken(JsonNode body) {
        if (devTokens == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, ErrorCode.NOT_FOUND, "dev tokens are only issued in dev mode");
        }
        JsonNode user = body.get("user_id");
        if (user == null || !user.isTextual() || !UserIds.isValid(user.textValue())) {
            throw HttpError.badRequest("user_id must be 1..64 characters of A-Z a-z 0-9 . _ @ -");
        }
        long expiresAt = System.currentTimeMillis() + DEV_TOKEN_TTL.toMillis();
        return HttpReply.json(HttpResponseStatus.OK,
                Map.of("token", devTokens.issue(user.textValue(), expiresAt), "expires_at", expiresAt));
    }

    private String authenticate(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpError(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, "Authorization: Bearer <token> is required");
        }
        try {
            return tokens.verify(header.substring(7).trim()).userId();
        } catch (AuthException e) {
            throw new HttpError(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, e.getMessage());
        }
    }

    private static JsonNode json(FullHttpRequest request) {
        try {
            JsonNode node = FrameCodec.mapper().readTree(request.content().toString(StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw HttpError.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpError.badRequest("malformed JSON");
        }
    }

    private static String param(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) {
        if (!actual.equals(expected)) {
            throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.BAD_REQUEST, "use " + expected);
        }
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static CompletableFuture<HttpReply> notFound() {
        return done(HttpReply.error(HttpResponseStatus.NOT_FOUND, ErrorCode.NOT_FOUND, "no such resource"));
    }

    private static HttpReply errorReply(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpError h) {
            return HttpReply.error(h.status, h.code, h.getMessage());
        }
        if (cause instanceof Rejection r) {
            return HttpReply.error(status(r.code()), r.code(), r.getMessage());
        }
        log.error("HTTP request failed", cause);
        return HttpReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL, "internal error");
    }

    private static HttpResponseStatus status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, TOO_LARGE -> HttpResponseStatus.BAD_REQUEST;
            case UNAUTHENTICATED, TOKEN_EXPIRED -> HttpResponseStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
            case RATE_LIMITED -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case INTERNAL, UNKNOWN -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpReply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
