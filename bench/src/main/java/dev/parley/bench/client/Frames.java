package dev.parley.bench.client;

import java.util.Collection;
import java.util.Map;

/**
 * Client frames of protocol v1, written by hand into a reused builder: the generator's own ids and bodies are
 * plain ASCII with nothing to escape, so no JSON library runs per message. Owned by one thread.
 */
public final class Frames {
    private final StringBuilder sb = new StringBuilder(256);

    public CharSequence auth(String ref, String token) {
        sb.setLength(0);
        return sb.append("{\"type\":\"auth\",\"ref\":\"").append(ref).append("\",\"token\":\"").append(token).append("\"}");
    }

    public CharSequence subscribe(String ref, Collection<String> conversationIds) {
        sb.setLength(0);
        sb.append("{\"type\":\"subscribe\",\"ref\":\"").append(ref).append("\",\"conversation_ids\":[");
        appendStrings(conversationIds);
        return sb.append("]}");
    }

    public CharSequence send(String ref, String conversationId, String clientIdPrefix, long clientIdNumber, String body) {
        sb.setLength(0);
        return sb.append("{\"type\":\"message:send\",\"ref\":\"").append(ref)
                .append("\",\"conversation_id\":\"").append(conversationId)
                .append("\",\"client_id\":\"").append(clientIdPrefix).append(clientIdNumber)
                .append("\",\"body\":\"").append(body).append("\"}");
    }

    /** A delivered receipt without a ref: success is silent, so the server writes nothing back to the recipient. */
    public CharSequence delivered(String conversationId, Collection<String> messageIds) {
        sb.setLength(0);
        sb.append("{\"type\":\"message:delivered\",\"conversation_id\":\"").append(conversationId).append("\",\"message_ids\":[");
        appendStrings(messageIds);
        return sb.append("]}");
    }

    public CharSequence syncCursors(String ref, Map<String, Long> cursors) {
        sb.setLength(0);
        sb.append("{\"type\":\"sync\",\"ref\":\"").append(ref).append("\",\"limit\":1000,\"cursors\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : cursors.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        return sb.append("}}");
    }

    public CharSequence syncPage(String ref, String cursor) {
        sb.setLength(0);
        return sb.append("{\"type\":\"sync\",\"ref\":\"").append(ref).append("\",\"limit\":1000,\"cursor\":\"").append(cursor).append("\"}");
    }

    public CharSequence ping(String ref) {
        sb.setLength(0);
        return sb.append("{\"type\":\"ping\",\"ref\":\"").append(ref).append("\"}");
    }

    private void appendStrings(Collection<String> values) {
        boolean first = true;
        for (String v : values) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(v).append('"');
        }
    }
}
