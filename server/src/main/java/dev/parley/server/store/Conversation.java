package dev.parley.server.store;

import java.util.List;

public record Conversation(String id, String title, boolean direct, List<String> members, long lastSeq, long lastTs) {
}
