package dev.parley.server.bus;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;

/** A frame going to many connections: encoded to JSON once, on first use, and shared read-only after that. */
public final class SharedFrame {
    private final ServerFrame frame;
    private volatile byte[] bytes;

    public SharedFrame(ServerFrame frame) {
        this.frame = frame;
    }

    public ServerFrame frame() {
        return frame;
    }

    public byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            b = FrameCodec.encodeToBytes(frame);
            bytes = b; // a race only encodes twice; both results are equal
        }
        return b;
    }
}
