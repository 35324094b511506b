package dev.mlplatform.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentTest {

    private static final int KEYS = 100_000;
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static Experiment experiment(String name, int... weights) {
        List<Experiment.Arm> arms = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            arms.add(new Experiment.Arm("arm-" + i, weights[i]));
        }
        return new Experiment(name, arms, null, null, null);
    }

    private static String card(int i) {
        return "ct_" + Integer.toHexString(i * 104_729 + 7);
    }

    @Test
    void assignmentIsStickyAndCloseToTheWeightsOverAHundredThousandKeys() {
        Experiment experiment = experiment("champion-vs-challenger", 70, 20, 10);
        Experiment sameDefinition = experiment("champion-vs-challenger", 70, 20, 10);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String arm = experiment.assign(card(i)).name();
            assertThat(experiment.assign(card(i)).name()).isEqualTo(arm);
            assertThat(sameDefinition.assign(card(i)).name()).as("another instance, same card").isEqualTo(arm);
            counts.merge(arm, 1, Integer::sum);
        }
        // Binomial standard deviations: 145, 126 and 95 keys; five of them either side.
        assertThat(counts.get("arm-0")).isBetween(70_000 - 725, 70_000 + 725);
        assertThat(counts.get("arm-1")).isBetween(20_000 - 630, 20_000 + 630);
        assertThat(counts.get("arm-2")).isBetween(10_000 - 475, 10_000 + 475);
    }

    @Test
    void differentExperimentsAssignTheSameKeysIndependently() {
        Experiment first = experiment("first", 50, 50);
        Experiment second = experiment("second", 50, 50);
        int sameArm = 0;
        for (int i = 0; i < KEYS; i++) {
            if (first.assign(card(i)).name().equals(second.assign(card(i)).name())) {
                sameArm++;
            }
        }
        assertThat(sameArm).isBetween(50_000 - 800, 50_000 + 800);
        Experiment salted = new Experiment("third", first.arms(), "first", null, null);
        assertThat(salted.assign(card(1))).isEqualTo(first.assign(card(1)));
    }

    @Test
    void anArmOfWeightZeroGetsNoKeys() {
        Experiment paused = experiment("paused", 1, 0, 1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(paused.assign(card(i)).name()).isNotEqualTo("arm-1");
        }
    }

    @Test
    void runsFromItsStartUntilItsStop() {
        Experiment bounded = new Experiment("bounded", experiment("x", 1, 1).arms(), null, T0, T0.plusSeconds(3600));
        Experiment open = experiment("open", 1, 1);

        assertThat(bounded.runsAt(T0.minusMillis(1))).isFalse();
        assertThat(bounded.runsAt(T0)).isTrue();
        assertThat(bounded.runsAt(T0.plusSeconds(3599))).isTrue();
        assertThat(bounded.runsAt(T0.plusSeconds(3600))).isFalse();
        assertThat(open.runsAt(T0)).isTrue();
        assertThat(bounded.control().name()).isEqualTo("arm-0");
    }

    @Test
    void overlapsWhenTheirRunningTimesShareAnInstant() {
        List<Experiment.Arm> arms = experiment("x", 1, 1).arms();
        Experiment day1 = new Experiment("day1", arms, null, T0, T0.plusSeconds(86_400));
        Experiment day2 = new Experiment("day2", arms, null, T0.plusSeconds(86_400), T0.plusSeconds(2 * 86_400));
        Experiment fromNoon = new Experiment("noon", arms, null, T0.plusSeconds(43_200), null);

        assertThat(day1.overlaps(day2)).isFalse();
        assertThat(day2.overlaps(day1)).isFalse();
        assertThat(day1.overlaps(fromNoon)).isTrue();
        assertThat(experiment("always", 1, 1).overlaps(day1)).isTrue();
    }

    @Test
    void refusesDefinitionsThatCannotRun() {
        List<Experiment.Arm> arms = experiment("x", 1, 1).arms();
        assertThatThrownBy(() -> experiment("one-arm", 1)).hasMessageContaining("at least two arms");
        assertThatThrownBy(() -> new Experiment("dup", List.of(new Experiment.Arm("a", 1), new Experiment.Arm("a", 1)),
                null, null, null)).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> experiment("zero", 0, 0)).hasMessageContaining("weight 0");
        assertThatThrownBy(() -> new Experiment.Arm("a", -1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Experiment("backwards", arms, null, T0, T0)).hasMessageContaining("not after");
        assertThatThrownBy(() -> new Experiment(" ", arms, null, null, null)).hasMessageContaining("name");
    }
}
