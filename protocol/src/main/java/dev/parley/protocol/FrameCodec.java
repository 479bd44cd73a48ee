package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Pure JSON codec for protocol v1: text in, frames out, and back. No sockets, no threads; safe to share.
 * Decoding failures become {@link ProtocolException}s with code bad_request and a message naming the field.
 */
public final class FrameCodec {
    private static final ObjectMapper MAPPER = newMapper();
    private static final ObjectReader CLIENT_READER = MAPPER.readerFor(ClientFrame.class);
    private static final ObjectReader SERVER_READER = MAPPER.readerFor(ServerFrame.class);
    private static final ObjectWriter CLIENT_WRITER = MAPPER.writerFor(ClientFrame.class);
    private static final ObjectWriter SERVER_WRITER = MAPPER.writerFor(ServerFrame.class);

    private FrameCodec() {
    }

    /** The shared mapper, configured strictly: no silent coercion between strings, numbers and booleans. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                // {"body":"a","body":"b"} is a broken frame, not a choice for the server to make silently.
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    /** Decodes a frame sent by a client (used by the server). */
    public static ClientFrame decodeClientFrame(String text) throws ProtocolException {
        ClientFrame frame;
        try {
            frame = CLIENT_READER.readValue(text);
        } catch (JsonProcessingException e) {
            throw badRequest(text, e);
        }
        if (frame == null) { // the JSON literal null
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object");
        }
        return frame;
    }

    /** Decodes a frame sent by the server (used by clients). */
    public static ServerFrame decodeServerFrame(String text) throws ProtocolException {
        ServerFrame frame;
        try {
            frame = SERVER_READER.readValue(text);
        } catch (JsonProcessingException e) {
            throw badRequest(text, e);
        }
        if (frame == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object");
        }
        return frame;
    }

    public static String encode(ClientFrame frame) {
        try {
            return CLIENT_WRITER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
        }
    }

    public static String encode(ServerFrame frame) {
        try {
            return SERVER_WRITER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
        }
    }

    public static byte[] encodeToBytes(ServerFrame frame) {
        try {
            return SERVER_WRITER.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
        }
    }

    /** Only on the error path: re-reads the text as a tree to find a ref worth copying into the error. */
    private static ProtocolException badRequest(String text, JsonProcessingException e) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException notJson) {
            return new ProtocolException(ErrorCode.BAD_REQUEST,
                    notJson.getOriginalMessage().startsWith("Duplicate field") ? "duplicate field in frame" : "malformed JSON");
        }
        if (tree == null || !tree.isObject()) {
            return new ProtocolException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object");
        }
        JsonNode refNode = tree.get("ref");
        String ref = refNode != null && refNode.isTextual() && refNode.textValue().length() <= Checks.MAX_ID_CHARS
                ? refNode.textValue() : null;
        return new ProtocolException(ErrorCode.BAD_REQUEST, describe(tree, e), ref);
    }

    private static String describe(JsonNode tree, JsonProcessingException e) {
        JsonNode type = tree.get("type");
        if (type == null || type.isNull()) {
            return "type is required";
        }
        if (!type.isTextual()) {
            return "type must be a string";
        }
        if (e instanceof InvalidTypeIdException) {
            return "unknown type '" + type.textValue() + "'";
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException) {
            return e.getCause().getMessage();
        }
        if (e instanceof JsonMappingException) {
            String path = fieldPath((JsonMappingException) e);
            if (!path.isEmpty()) {
                return "field " + path + " has the wrong type";
            }
        }
        return "invalid frame";
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
