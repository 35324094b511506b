package dev.mlplatform.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExperimentOutcomesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Experiment experiment = new Experiment("ab", List.of(new Experiment.Arm("champion", 50),
            new Experiment.Arm("challenger", 50)), null, null, null);
    private final ExperimentOutcomes outcomes = new ExperimentOutcomes(experiment, List.of("decline", "review"),
            List.of("risk_score"), "fraud", meters);

    private void record(String arm, int times, Set<String> hits, double score) {
        for (int i = 0; i < times; i++) {
            outcomes.record(arm, hits, Map.of("risk_score", score));
        }
    }

    @Test
    void countsUnitsHitsAndSumsPerArmAndExportsThemTaggedByArm() {
        record("champion", 880, Set.of(), 0.1);
        record("champion", 120, Set.of("decline"), 0.9);
        record("challenger", 850, Set.of(), 0.1);
        record("challenger", 150, Set.of("decline"), 0.9);

        ArmSummary champion = outcomes.summaries().get(0);
        assertThat(champion.arm()).isEqualTo("champion");
        assertThat(champion.units()).isEqualTo(1000);
        assertThat(champion.hits()).containsEntry("decline", 120L).containsEntry("review", 0L);
        assertThat(champion.rate("decline")).isEqualTo(0.12);
        assertThat(champion.values().get("risk_score").mean()).isCloseTo(0.196, within(1e-9));

        assertThat(meters.get("fraud.experiment.units").tags("experiment", "ab", "arm", "challenger")
                .functionCounter().count()).isEqualTo(1000);
        assertThat(meters.get("fraud.experiment.hits").tags("arm", "challenger", "metric", "decline")
                .functionCounter().count()).isEqualTo(150);
        assertThat(meters.get("fraud.experiment.value.sum").tags("arm", "champion", "metric", "risk_score")
                .gauge().value()).isCloseTo(880 * 0.1 + 120 * 0.9, within(1e-9));
        assertThat(meters.get("fraud.experiment.value.squares").tags("arm", "champion", "metric", "risk_score")
                .gauge().value()).isCloseTo(880 * 0.01 + 120 * 0.81, within(1e-9));
    }

    @Test
    void reportsTheTestsOfEachTreatmentArmAgainstTheControl() {
        record("champion", 880, Set.of(), 0.1);
        record("champion", 120, Set.of("decline"), 0.9);
        record("challenger", 850, Set.of(), 0.1);
        record("challenger", 150, Set.of("decline"), 0.9);

        ExperimentReport report = outcomes.report();

        assertThat(report.experiment()).isEqualTo("ab");
        assertThat(report.comparisons()).singleElement().satisfies(comparison -> {
            assertThat(comparison.arm()).isEqualTo("challenger");
            assertThat(comparison.control()).isEqualTo("champion");
            // The hand-worked example of SignificanceTestsTest: 120 / 1000 against 150 / 1000.
            assertThat(comparison.rates().get("decline").z()).isCloseTo(1.963050, within(1e-6));
            assertThat(comparison.rates().get("decline").pValue()).isCloseTo(0.049640, within(1e-6));
            assertThat(comparison.rates().get("review").pValue()).isNaN();
            assertThat(comparison.means().get("risk_score").difference()).isCloseTo(0.024, within(1e-9));
            assertThat(comparison.means().get("risk_score").pValue()).isBetween(0.0, 1.0);
        });
    }

    @Test
    void refusesUnknownArmsAndMetricsAndMissingValues() {
        assertThatThrownBy(() -> outcomes.record("nobody", Set.of(), Map.of("risk_score", 0.1)))
                .hasMessageContaining("no arm nobody");
        assertThatThrownBy(() -> outcomes.record("champion", Set.of("click"), Map.of("risk_score", 0.1)))
                .hasMessageContaining("no rate metric click");
        assertThatThrownBy(() -> outcomes.record("champion", Set.of(), Map.of()))
                .hasMessageContaining("risk_score");
        assertThatThrownBy(() -> outcomes.record("champion", Set.of(), Map.of("risk_score", Double.NaN)))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> outcomes.record("champion", Set.of(), Map.of("risk_score", 0.1, "amount", 3.0)))
                .hasMessageContaining("amount");
        assertThat(outcomes.summaries().get(0).units()).isZero();
    }

    @Test
    void recordsFromManyThreadsWithoutLosingAUnit() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> record("challenger", 25_000, Set.of("review"), 0.5)));
            }
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        ArmSummary challenger = outcomes.summaries().get(1);
        assertThat(challenger.units()).isEqualTo(100_000);
        assertThat(challenger.hits().get("review")).isEqualTo(100_000);
        assertThat(challenger.values().get("risk_score").sum()).isCloseTo(50_000, within(1e-6));
    }
}
