package dev.parley.bench;

import dev.parley.bench.scenario.Report;
import dev.parley.bench.target.RemoteTarget;
import dev.parley.bench.target.ServerProcess;
import dev.parley.bench.target.Target;
import dev.parley.bench.target.TokenMinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every scenario shares: which server, how to start it, how many generator threads, where the JSON goes. */
public final class TargetOptions {
    @Option(names = "--url", description = "Target a running server (http://host:port) instead of starting one.")
    URI url;
    @Option(names = "--jwt-secret", description = "With --url: the server's HS256 secret, to mint tokens locally (else POST /api/dev/token).")
    String jwtSecret;
    @Option(names = "--dev-secret-file", description = "With --url: the server's data-dir/dev-secret, to mint tokens locally.")
    Path devSecretFile;
    @Option(names = "--server-pid", defaultValue = "-1", description = "With --url: the server's pid, for its CPU and memory.")
    long serverPid;

    @Option(names = "--server-jar", defaultValue = "${env:PARLEY_SERVER_JAR:-server/target/parley-server.jar}",
            description = "Server jar to start (default: ${DEFAULT-VALUE}).")
    Path serverJar;
    @Option(names = "--server-jvm-args", defaultValue = "",
            description = "JVM flags for the started server, space-separated (e.g. \"-Xmx4g -XX:StartFlightRecording=filename=s.jfr\").")
    String serverJvmArgs;
    @Option(names = "--server-args", defaultValue = "",
            description = "Extra server flags, space-separated (e.g. \"--heartbeat-ms 60000\").")
    String serverArgs;
    @Option(names = "--durability", defaultValue = "FULL", description = "Server --durability: FULL (fsync each commit) or NORMAL.")
    String durability;
    @Option(names = "--send-rate", defaultValue = "100000", description = "Server --send-rate per connection (the server's default is 100).")
    double sendRate;
    @Option(names = "--send-burst", defaultValue = "100000", description = "Server --send-burst per connection.")
    int sendBurst;
    @Option(names = "--server-log-level", defaultValue = "WARN",
            description = "Server --log-level (INFO logs every connection, which a 100,000-connection run should not measure).")
    String serverLogLevel;
    @Option(names = "--data-dir", description = "Server data dir (default: a new temp dir, deleted afterwards).")
    Path dataDir;

    @Option(names = "--threads", defaultValue = "2", description = "Generator event loop threads (default ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--json", description = "Also write the result as JSON to this file.")
    Path json;

    private Path tempDir;

    Target open() {
        if (url != null) {
            TokenMinter minter = jwtSecret != null ? new TokenMinter(jwtSecret.getBytes(StandardCharsets.UTF_8))
                    : devSecretFile != null ? TokenMinter.fromDevSecretFile(devSecretFile) : null;
            return new RemoteTarget(url, minter, serverPid);
        }
        Path dir = dataDir;
        try {
            if (dir == null) {
                tempDir = Files.createTempDirectory("parley-bench-");
                dir = tempDir;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--durability", durability, "--send-rate", Double.toString(sendRate),
                "--send-burst", Integer.toString(sendBurst), "--log-level", serverLogLevel));
        args.addAll(split(serverArgs));
        return new ServerProcess(serverJar, split(serverJvmArgs), args, dir).start();
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    /** Prints the summary, writes the JSON, cleans up; the exit code says whether the run was clean. */
    int finish(Report report) {
        System.out.print(report);
        if (json != null) {
            report.writeJson(json);
            System.out.println("  json     " + json.toAbsolutePath());
        }
        return report.clean ? 0 : 1;
    }

    void cleanUp() {
        if (tempDir != null) {
            try (var files = Files.walk(tempDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
