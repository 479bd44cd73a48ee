package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parley.protocol.FrameCodec;
import java.util.UUID;

/** Small JSON helpers for tests. */
public final class Json {
    private Json() {
    }

    public static JsonNode parse(String text) {
        try {
            return FrameCodec.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    public static ArrayNode array(String... values) {
        ArrayNode a = FrameCodec.mapper().createArrayNode();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }
}
