package dev.parley.server.http;

import dev.parley.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A 4xx answer raised while reading a request. */
final class HttpError extends RuntimeException {
    final HttpResponseStatus status;
    final ErrorCode code;

    HttpError(HttpResponseStatus status, ErrorCode code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static HttpError badRequest(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, message);
    }
}
