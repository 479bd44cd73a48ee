package dev.parley.bench.jmh;

import dev.parley.bench.client.ServerFrameView;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Message;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec work the server does per message: decode the client's message:send (a String, as the server's
 * FrameCodecHandler hands it over), encode the ack and the message:new (once per message, shared by every
 * recipient). Plus the generator's own lean parse of a message:new, to show what the load generator costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FrameCodecBenchmark {
    private static final String BODY = "x".repeat(100);
    private final String sendJson = "{\"type\":\"message:send\",\"ref\":\"12345\",\"conversation_id\":\"c_01JDV6Q3ZK8WS0A7Y2M1N4B5C6\","
            + "\"client_id\":\"b1x9k2-17-12345\",\"body\":\"" + BODY + "\"}";
    private final ServerFrame.New newFrame = new ServerFrame.New(new Message("m_01JDV6Q3ZM3XK5T9W1P2R7S8Q4",
            "c_01JDV6Q3ZK8WS0A7Y2M1N4B5C6", 12345, 1764770000123L, "b1x9k2-s17", "b1x9k2-17-12345", BODY));
    private final ServerFrame.Ack ack = new ServerFrame.Ack("12345", "c_01JDV6Q3ZK8WS0A7Y2M1N4B5C6", "b1x9k2-17-12345",
            "m_01JDV6Q3ZM3XK5T9W1P2R7S8Q4", 12345, 1764770000123L);
    private final byte[] newBytes = FrameCodec.encodeToBytes(newFrame);
    private final String newJson = new String(newBytes, StandardCharsets.UTF_8);
    private final ServerFrameView view = new ServerFrameView();

    @Benchmark
    public ClientFrame decodeSend() throws ProtocolException {
        return FrameCodec.decodeClientFrame(sendJson);
    }

    @Benchmark
    public byte[] encodeAck() {
        return FrameCodec.encodeToBytes(ack);
    }

    @Benchmark
    public byte[] encodeNew() {
        return FrameCodec.encodeToBytes(newFrame);
    }

    @Benchmark
    public ServerFrame decodeNewWithCodec() throws ProtocolException {
        return FrameCodec.decodeServerFrame(newJson);
    }

    @Benchmark
    public String decodeNewLeanGenerator() throws IOException {
        view.parse(newBytes, 0, newBytes.length);
        return view.clientId;
    }
}
