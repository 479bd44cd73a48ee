package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.scenario.ConnectionsScenario;
import dev.parley.bench.scenario.FanoutScenario;
import dev.parley.bench.scenario.PairsScenario;
import dev.parley.bench.scenario.Report;
import dev.parley.bench.scenario.StormScenario;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few seconds of each scenario against a real in-process server, so the tool cannot silently break: every
 * scenario must finish on its own with nothing lost, duplicated or reordered. Speed is not asserted here.
 */
@SuppressWarnings("unchecked")
class QuickScenariosTest {
    @TempDir
    Path dataDir;
    private InProcessTarget target;

    @BeforeEach
    void startServer() {
        target = new InProcessTarget(TestServer.start(dataDir, b -> b.sendRatePerSecond(10_000).sendBurst(10_000)));
    }

    @AfterEach
    void stopServer() {
        target.close();
    }

    @Test
    void pairsDeliversEveryMessageAckAndReceiptExactlyOnceInOrder() throws Exception {
        Report report = PairsScenario.run(target, new PairsScenario.Config(20, 400, 2, 0.5, 100, true, 30, 2));

        assertThat(report.json).containsEntry("lost", 0L).containsEntry("duplicated", 0L)
                .containsEntry("out_of_order", 0L).containsEntry("settled", true).containsEntry("clean", true);
        assertThat((long) report.json.get("sent")).isEqualTo(800L);
        assertThat(report.json).containsEntry("acked", 800L).containsEntry("received", 800L).containsEntry("receipts", 800L);
        assertThat((Map<String, Object>) report.json.get("send_to_ack")).containsEntry("count", 600L);
        System.out.print(report);
        assertThat(report.clean).isTrue();
        assertThat(report.toString()).contains("send->ack", "send->message:new", "send->delivered", "µs/durable message");
    }

    @Test
    void findMaxStepsTheRateUpAndReportsTheHighestThatHeld() throws Exception {
        Report report = PairsScenario.findMax(target, new PairsScenario.Config(10, 100, 1, 0.25, 50, true, 30, 2),
                new PairsScenario.FindMax(100, 2, 400, 10_000, 1));

        List<?> steps = (List<?>) report.json.get("steps");
        assertThat(steps).hasSize(3);
        assertThat(report.json).containsEntry("max_rate_held", 400.0);
        assertThat(steps).allSatisfy(s -> assertThat((Map<String, Object>) s).containsEntry("lost", 0L).containsEntry("held", true));
    }

    @Test
    void fanoutReachesEveryMemberOnce() throws Exception {
        Report report = FanoutScenario.run(target, new FanoutScenario.Config(20, 3, 60, 2, 0.5, 100, 30, 2));

        assertThat(report.json).containsEntry("acked", 120L).containsEntry("deliveries", 120L * 19)
                .containsEntry("lost", 0L).containsEntry("duplicated", 0L).containsEntry("out_of_order", 0L);
        assertThat((Map<String, Object>) report.json.get("send_to_last_recipient")).containsEntry("count", 90L);
        System.out.print(report);
        assertThat(report.clean).isTrue();
    }

    @Test
    void connectionsAllAnswerThePingAtTheEnd() throws Exception {
        Report report = ConnectionsScenario.run(target, new ConnectionsScenario.Config(300, 2, 100, 0, 60, 2));

        assertThat(report.json).containsEntry("pongs", 300).containsEntry("dropped", 0).containsEntry("conversations", 150);
        assertThat(report.json).containsKeys("heap_bytes_per_connection", "rss_bytes_per_connection", "connects_per_s");
        System.out.print(report);
        assertThat(report.clean).isTrue();
    }

    @Test
    void stormAfterARestartBringsEveryClientBackCaughtUpWithNothingLost() throws Exception {
        Report report = StormScenario.run(target, new StormScenario.Config(40, 2, 2, 50, 1000, true, 60, 2));

        assertThat(report.json).containsEntry("reconnected", 40).containsEntry("caught_up", 40)
                .containsEntry("lost", 0L).containsEntry("duplicated", 0L).containsEntry("out_of_order", 0L)
                .containsEntry("errors", 0L);
        System.out.print(report);
        assertThat(report.clean).isTrue();
    }

    @Test
    void stormWithEveryConnectionCutBringsEveryClientBackCaughtUp() throws Exception {
        Report report = StormScenario.run(target, new StormScenario.Config(40, 1, 3, 50, 1000, false, 60, 2));

        assertThat(report.json).containsEntry("caught_up", 40).containsEntry("lost", 0L).containsEntry("duplicated", 0L);
        System.out.print(report);
        assertThat(report.clean).isTrue();
    }
}
