package dev.parley.bench;

import dev.parley.bench.scenario.StormScenario;
import dev.parley.bench.target.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "storm", mixinStandardHelpOptions = true,
        description = {"C clients; the server restarts (or, with --cut or --url, every connection is cut); all reconnect",
                "with backoff and full jitter, sync by cursor and resend: time until all are back and caught up, lost/duplicated."})
public final class StormCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;
    @Option(names = {"-c", "--clients"}, defaultValue = "10000")
    int clients;
    @Option(names = "--before", defaultValue = "2", description = "Messages each client sends before the storm.")
    int before;
    @Option(names = "--after", defaultValue = "2", description = "Messages each client sends right after it is back.")
    int after;
    @Option(names = "--backoff-base-ms", defaultValue = "500", description = "The SDK's default: 500 ms, doubling.")
    double backoffBase;
    @Option(names = "--backoff-cap-ms", defaultValue = "30000")
    double backoffCap;
    @Option(names = "--cut", description = "Cut every connection from the client side instead of restarting the server.")
    boolean cut;
    @Option(names = "--timeout", defaultValue = "120")
    double timeout;

    @Override
    public Integer call() throws Exception {
        try (Target server = target.open()) {
            return target.finish(StormScenario.run(server, new StormScenario.Config(clients, before, after, backoffBase, backoffCap,
                    !cut, timeout, target.threads)));
        } finally {
            target.cleanUp();
        }
    }
}
