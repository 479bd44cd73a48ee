package dev.parley.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP answer before it becomes a Netty response: status, content type and body. */
record HttpReply(HttpResponseStatus status, String contentType, byte[] body) {
    static HttpReply json(HttpResponseStatus status, Object value) {
        try {
            return new HttpReply(status, "application/json", FrameCodec.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpReply error(HttpResponseStatus status, ErrorCode code, String message) {
        return json(status, Map.of("error", Map.of("code", code.wire(), "message", message)));
    }

    static HttpReply text(HttpResponseStatus status, String contentType, String body) {
        return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
