package dev.parley.server.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.server.auth.UserIds;
import dev.parley.server.store.Conversation;
import dev.parley.server.store.Store;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code /api/conversations}: create, list, add members, page history. Every call is made by a known user. */
final class ConversationsApi {
    private static final int MAX_TITLE_CHARS = 200;
    private static final int MAX_MEMBERS = 1000;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 1000;

    private final Store store;

    ConversationsApi(Store store) {
        this.store = store;
    }

    record ConversationJson(@JsonProperty("id") String id, @JsonProperty("title") String title,
                            @JsonProperty("direct") boolean direct, @JsonProperty("members") List<String> members,
                            @JsonProperty("last_seq") long lastSeq, @JsonProperty("last_ts") long lastTs) {
        static ConversationJson of(Conversation c) {
            return new ConversationJson(c.id(), c.title(), c.direct(), c.members(), c.lastSeq(), c.lastTs());
        }
    }

    CompletableFuture<HttpReply> create(String userId, JsonNode body) {
        List<String> members = members(body);
        JsonNode titleNode = body.get("title");
        String title = null;
        if (titleNode != null && !titleNode.isNull()) {
            if (!titleNode.isTextual() || titleNode.textValue().length() > MAX_TITLE_CHARS) {
                throw HttpError.badRequest("title must be a string of at most " + MAX_TITLE_CHARS + " characters");
            }
            title = titleNode.textValue();
        }
        JsonNode directNode = body.get("direct");
        if (directNode != null && !directNode.isBoolean()) {
            throw HttpError.badRequest("direct must be true or false");
        }
        boolean direct = directNode != null && directNode.booleanValue();
        members.remove(userId);
        if (direct && members.size() != 1) {
            throw HttpError.badRequest("a direct conversation has exactly one other member");
        }
        return store.createConversation(userId, members, title, direct).thenApply(created -> HttpReply.json(
                created.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                ConversationJson.of(created.conversation())));
    }

    CompletableFuture<HttpReply> list(String userId) {
        return store.conversationsOf(userId).thenApply(list -> HttpReply.json(HttpResponseStatus.OK,
                Map.of("conversations", list.stream().map(ConversationJson::of).toList())));
    }

    CompletableFuture<HttpReply> addMembers(String userId, String conversationId, JsonNode body) {
        List<String> members = members(body);
        return store.addMembers(conversationId, userId, members)
                .thenApply(c -> HttpReply.json(HttpResponseStatus.OK, ConversationJson.of(c)));
    }

    CompletableFuture<HttpReply> history(String userId, String conversationId, String beforeSeq, String limit) {
        Long before = beforeSeq == null ? null : positiveLong(beforeSeq, "before_seq");
        int size = limit == null ? DEFAULT_PAGE : (int) Math.min(positiveLong(limit, "limit"), Integer.MAX_VALUE);
        if (size > MAX_PAGE) {
            throw HttpError.badRequest("limit must be 1.." + MAX_PAGE);
        }
        return store.history(userId, conversationId, before, size).thenApply(page -> HttpReply.json(HttpResponseStatus.OK,
                Map.<String, Object>of("messages", page.messages(), "has_more", page.hasMore())));
    }

    private static long positiveLong(String text, String name) {
        try {
            long v = Long.parseLong(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw HttpError.badRequest(name + " must be a positive integer");
    }

    private static List<String> members(JsonNode body) {
        JsonNode node = body.get("members");
        if (node == null || !node.isArray()) {
            throw HttpError.badRequest("members must be an array of user ids");
        }
        if (node.size() > MAX_MEMBERS) {
            throw HttpError.badRequest("at most " + MAX_MEMBERS + " members at once");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (JsonNode m : node) {
            if (!m.isTextual() || !UserIds.isValid(m.textValue())) {
                throw HttpError.badRequest("unknown member " + m + ": a user id is 1..64 characters of A-Z a-z 0-9 . _ @ -");
            }
            out.add(m.textValue());
        }
        return new ArrayList<>(out);
    }

}
