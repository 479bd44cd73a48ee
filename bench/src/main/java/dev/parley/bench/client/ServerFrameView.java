package dev.parley.bench.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A lean, reusable view of one server frame: only the scalar fields the load generator needs, read with Jackson's
 * streaming parser (no object mapping, no per-frame maps). Frames with arrays the generator cares about
 * ({@code subscribed}, {@code sync:result}) are re-read with the protocol module's codec, off the hot path.
 * Owned by one event loop; {@link #parse} overwrites it.
 */
public final class ServerFrameView {
    private static final JsonFactory JSON = new JsonFactory();

    public String type;
    public String ref;
    public String conversationId;
    public String clientId;
    public String messageId;
    public String senderId;
    public String userId;
    public String code;
    public long seq;
    public long ts;

    public void parse(byte[] bytes, int offset, int length) throws IOException {
        type = ref = conversationId = clientId = messageId = senderId = userId = code = null;
        seq = ts = -1;
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a frame must be a JSON object");
            }
            readObject(p, true);
        }
    }

    private void readObject(JsonParser p, boolean top) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if (top && "message".equals(name)) {
                    readObject(p, false);
                } else {
                    p.skipChildren();
                }
                continue;
            }
            if (value == JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            switch (name) {
                case "type" -> { if (top) type = p.getText(); }
                case "ref" -> ref = p.getText();
                case "conversation_id" -> conversationId = p.getText();
                case "client_id" -> clientId = p.getText();
                case "message_id" -> messageId = p.getText();
                case "sender_id" -> senderId = p.getText();
                case "user_id" -> userId = p.getText();
                case "code" -> code = p.getText();
                case "seq" -> seq = p.getLongValue();
                case "ts" -> ts = p.getLongValue();
                default -> { }
            }
        }
    }
}
