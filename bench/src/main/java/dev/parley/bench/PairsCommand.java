package dev.parley.bench;

import dev.parley.bench.scenario.PairsScenario;
import dev.parley.bench.target.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = "N 1:1 conversations, open-loop at a fixed total rate: send->ack, send->message:new, send->delivered receipt.")
public final class PairsCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;
    @Option(names = {"-n", "--conversations"}, defaultValue = "1000", description = "1:1 conversations (2N connections).")
    int pairs;
    @Option(names = {"-r", "--rate"}, defaultValue = "5000", description = "Total messages per second.")
    double rate;
    @Option(names = {"-d", "--duration"}, defaultValue = "60", description = "Seconds of sending (per step with --find-max).")
    double duration;
    @Option(names = "--warmup", defaultValue = "5", description = "Seconds at the start not measured (counted for loss).")
    double warmup;
    @Option(names = "--body-bytes", defaultValue = "100")
    int bodyBytes;
    @Option(names = "--no-receipts", negatable = true, defaultValue = "true", description = "Recipients send message:delivered for each message.")
    boolean receipts;
    @Option(names = "--drain", defaultValue = "30", description = "Seconds to wait for the last acks, messages and receipts.")
    double drain;
    @Option(names = "--find-max", description = "Step the rate up until p99 send->ack passes --p99-bound or errors appear.")
    boolean findMax;
    @Option(names = "--step-duration", defaultValue = "10", description = "With --find-max: seconds per rate step.")
    double stepDuration;
    @Option(names = "--start-rate", defaultValue = "2000")
    double startRate;
    @Option(names = "--step-factor", defaultValue = "1.25")
    double stepFactor;
    @Option(names = "--max-rate", defaultValue = "100000")
    double maxRate;
    @Option(names = "--p99-bound", defaultValue = "50", description = "Milliseconds (default ${DEFAULT-VALUE}).")
    double p99Bound;
    @Option(names = "--find-max-warmup", defaultValue = "15", description = "With --find-max: seconds at the start rate before the first step.")
    double findMaxWarmup;

    @Override
    public Integer call() throws Exception {
        try (Target server = target.open()) {
            double seconds = findMax ? stepDuration : duration;
            PairsScenario.Config config = new PairsScenario.Config(pairs, rate, seconds, findMax ? Math.min(warmup, seconds / 4) : warmup,
                    bodyBytes, receipts, drain, target.threads);
            return target.finish(findMax
                    ? PairsScenario.findMax(server, config, new PairsScenario.FindMax(startRate, stepFactor, maxRate, p99Bound, findMaxWarmup))
                    : PairsScenario.run(server, config));
        } finally {
            target.cleanUp();
        }
    }
}
