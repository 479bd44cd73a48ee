package dev.parley.bench.scenario;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.protocol.FrameCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A scenario's result: the machine-readable map (for --json) and the short human summary. */
public final class Report {
    public final Map<String, Object> json = new LinkedHashMap<>();
    public final StringBuilder human = new StringBuilder();
    /** Zero lost, duplicated and out-of-order (and every check of the scenario passed). */
    public boolean clean = true;

    Report(String scenario) {
        json.put("scenario", scenario);
        json.put("started_at", Instant.now().toString());
        json.put("machine", machine());
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("generator_jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("generator_max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return m;
    }

    Report line(String format, Object... args) {
        human.append(String.format(format, args)).append('\n');
        return this;
    }

    public void writeJson(Path file) {
        try {
            FrameCodec.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String toString() {
        return human.toString();
    }
}
