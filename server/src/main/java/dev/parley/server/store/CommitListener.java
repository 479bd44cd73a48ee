package dev.parley.server.store;

import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;

/**
 * Hears what each commit created, on the store's writer thread, in commit order. Implementations must be quick
 * and must not block: they hand the events on (to the bus) and return.
 */
public interface CommitListener {
    void messageCommitted(Message message, String origin);

    void receiptCommitted(Receipt receipt, String senderId);

    CommitListener NONE = new CommitListener() {
        @Override
        public void messageCommitted(Message message, String origin) {
        }

        @Override
        public void receiptCommitted(Receipt receipt, String senderId) {
        }
    };
}
