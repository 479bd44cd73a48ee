package dev.parley.client.internal;

import dev.parley.protocol.ClientFrame;
import java.util.Map;

/** The one place that builds sync frames, so a change to the frame's constructor touches one line. */
final class Frames {
    private Frames() {
    }

    static ClientFrame.Sync sync(String ref, Long sinceTs, Map<String, Long> cursors, Long receiptsSinceTs,
                                 String cursor, int limit) {
        return new ClientFrame.Sync(ref, sinceTs, cursors, receiptsSinceTs, cursor, limit);
    }
}
