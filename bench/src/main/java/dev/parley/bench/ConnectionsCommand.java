package dev.parley.bench;

import dev.parley.bench.scenario.ConnectionsScenario;
import dev.parley.bench.target.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "connections", mixinStandardHelpOptions = true,
        description = {"C idle, authenticated, subscribed connections: connect rate, server heap and RSS per connection, a ping round.",
                "Raise the file limit first for large C (ulimit -n 1048576): the started server inherits it."})
public final class ConnectionsCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;
    @Option(names = {"-c", "--connections"}, defaultValue = "10000")
    int connections;
    @Option(names = "--members-per-conversation", defaultValue = "2", description = "Connections per conversation (2: 1:1 conversations).")
    int members;
    @Option(names = "--in-flight", defaultValue = "500", description = "Handshakes in flight at once.")
    int inFlight;
    @Option(names = "--hold", defaultValue = "2", description = "Seconds to stay idle before measuring.")
    double hold;
    @Option(names = "--ping-timeout", defaultValue = "120")
    double pingTimeout;

    @Override
    public Integer call() throws Exception {
        try (Target server = target.open()) {
            return target.finish(ConnectionsScenario.run(server, new ConnectionsScenario.Config(connections, members, inFlight, hold,
                    pingTimeout, target.threads)));
        } finally {
            target.cleanUp();
        }
    }
}
