package dev.parley.server.session;

import dev.parley.protocol.ProtocolException;

/** A frame the codec could not accept, passed on so its error reply keeps its place among the replies. */
public record RejectedFrame(ProtocolException error) {
}
