package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How far a message got with one recipient. READ implies DELIVERED. */
public enum ReceiptStatus {
    DELIVERED("delivered"),
    READ("read");

    private final String wire;

    ReceiptStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ReceiptStatus fromWire(String wire) {
        for (ReceiptStatus s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown receipt status '" + wire + "'");
    }
}
