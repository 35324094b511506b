package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.jobs.common.InterceptedMetrics;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration MEMORY = Duration.ofDays(1);

    private final InterceptedMetrics metrics = new InterceptedMetrics();
    private KeyedOneInputStreamOperatorTestHarness<String, InteractionEvent, InteractionEvent> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateFunction(MEMORY)), InteractionEvent::eventId, Types.STRING,
                metrics.environment());
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        harness.getEnvironment().close();
    }

    @Test
    void letsEachEventIdThroughOnceAndCountsTheRepeats() throws Exception {
        InteractionEvent first = view("e-1", "u-1", "i-1", T0, "FR");
        InteractionEvent second = view("e-2", "u-1", "i-1", T0.plusSeconds(1), "FR");
        // A repeat is the same event even where a buggy producer changed it: the first copy wins.
        InteractionEvent alteredRepeat = view("e-1", "u-1", "i-9", T0.plusSeconds(2), "DE");

        for (InteractionEvent event : new InteractionEvent[] {first, first, second, alteredRepeat, second}) {
            harness.processElement(event, event.timestamp().toEpochMilli());
        }

        assertThat(harness.extractOutputValues()).containsExactly(first, second);
        assertThat(metrics.count(RecsysFeatureJob.DUPLICATES_DROPPED)).isEqualTo(3);
    }

    @Test
    void forgetsAnIdOnceItsMemoryHasPassed() throws Exception {
        InteractionEvent event = view("e-1", "u-1", "i-1", T0, "FR");
        harness.setStateTtlProcessingTime(0);
        harness.processElement(event, 0);

        harness.setStateTtlProcessingTime(MEMORY.toMillis() - 1);
        harness.processElement(event, 0);
        harness.setStateTtlProcessingTime(MEMORY.toMillis());
        harness.processElement(event, 0);

        assertThat(harness.extractOutputValues()).containsExactly(event, event);
        assertThat(metrics.count(RecsysFeatureJob.DUPLICATES_DROPPED)).isEqualTo(1);
    }
}
