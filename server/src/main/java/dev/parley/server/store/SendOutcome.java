package dev.parley.server.store;

import dev.parley.protocol.Message;

/** The committed message, and whether this command created it (false: a retry of an earlier send). */
public record SendOutcome(Message message, boolean created) {
}
