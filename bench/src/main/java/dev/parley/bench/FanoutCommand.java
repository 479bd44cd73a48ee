package dev.parley.bench;

import dev.parley.bench.scenario.FanoutScenario;
import dev.parley.bench.target.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "One conversation with M connected members and S senders: deliveries/s and send->last-recipient latency.")
public final class FanoutCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;
    @Option(names = {"-m", "--members"}, defaultValue = "500")
    int members;
    @Option(names = {"-s", "--senders"}, defaultValue = "5")
    int senders;
    @Option(names = {"-r", "--rate"}, defaultValue = "100", description = "Total messages per second (each goes to M-1 connections).")
    double rate;
    @Option(names = {"-d", "--duration"}, defaultValue = "30")
    double duration;
    @Option(names = "--warmup", defaultValue = "5")
    double warmup;
    @Option(names = "--body-bytes", defaultValue = "100")
    int bodyBytes;
    @Option(names = "--drain", defaultValue = "30")
    double drain;

    @Override
    public Integer call() throws Exception {
        try (Target server = target.open()) {
            return target.finish(FanoutScenario.run(server, new FanoutScenario.Config(members, senders, rate, duration, warmup,
                    bodyBytes, drain, target.threads)));
        } finally {
            target.cleanUp();
        }
    }
}
