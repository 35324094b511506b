package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.categorized;
import static dev.mlplatform.jobs.recsys.Interactions.json;
import static dev.mlplatform.jobs.recsys.Interactions.search;
import static dev.mlplatform.jobs.recsys.Interactions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.jobs.common.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ItemCategoryFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);

    private KeyedTwoInputStreamOperatorTestHarness<String, InteractionEvent, ItemCategory, CategorizedInteraction> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ItemCategoryFunction(GRACE)),
                InteractionEvent::itemId, ItemCategory::itemId, Types.STRING);
        harness.open();
        // As in the job: the catalogue never holds back event time.
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void joinsAnInteractionWithAKnownItemAtOnceInItsOwnEventTime() throws Exception {
        InteractionEvent opened = search("e-1", "u-1", "heist", "i-1", T0, "FR");
        harness.processElement2(new ItemCategory("i-1", "thriller"), 0);
        send(opened);

        assertThat(harness.extractOutputStreamRecords()).containsExactly(
                new StreamRecord<>(categorized(opened, "thriller"), T0.toEpochMilli()));
    }

    @Test
    void holdsInteractionsUntilTheirItemArrivesAndReleasesThemInEventTimeOrder() throws Exception {
        InteractionEvent later = view("e-2", "u-1", "i-2", T0.plusSeconds(10), "FR");
        InteractionEvent earlier = view("e-1", "u-2", "i-2", T0.plusSeconds(5), "DE");
        send(later);
        send(earlier);
        harness.setProcessingTime(GRACE.toMillis() / 2);
        harness.processElement2(new ItemCategory("i-2", "comedy"), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark1(new Watermark(T0.plusSeconds(7).toEpochMilli()));
        harness.processWatermark1(new Watermark(T0.plusSeconds(60).toEpochMilli()));
        harness.setProcessingTime(GRACE.toMillis() * 2);

        // Each with its event time as timestamp, each before the watermark that passed it.
        assertThat(harness.getOutput()).containsExactly(
                new StreamRecord<>(categorized(earlier, "comedy"), T0.plusSeconds(5).toEpochMilli()),
                new Watermark(T0.plusSeconds(7).toEpochMilli()),
                new StreamRecord<>(categorized(later, "comedy"), T0.plusSeconds(10).toEpochMilli()),
                new Watermark(T0.plusSeconds(60).toEpochMilli()));
        assertThat(harness.getSideOutput(RecsysFeatureJob.DEAD_LETTERS)).isNull();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void releasesAnInteractionThatIsAlreadyBehindTheWatermarkWithTheNextOne() throws Exception {
        InteractionEvent waited = view("e-1", "u-1", "i-2", T0, "FR");
        send(waited);
        harness.processWatermark1(new Watermark(T0.plusSeconds(30).toEpochMilli()));
        harness.processElement2(new ItemCategory("i-2", "comedy"), 0);
        harness.processWatermark1(new Watermark(T0.plusSeconds(31).toEpochMilli()));

        assertThat(harness.extractOutputStreamRecords()).containsExactly(
                new StreamRecord<>(categorized(waited, "comedy"), T0.toEpochMilli()));
    }

    @Test
    void deadLettersAnInteractionWhoseItemIsStillUnknownAfterTheGrace() throws Exception {
        InteractionEvent orphan = view("e-1", "u-1", "i-404", T0, "FR");
        harness.setProcessingTime(1_000);
        send(orphan);
        harness.processWatermark1(new Watermark(T0.plus(Duration.ofHours(1)).toEpochMilli()));

        harness.setProcessingTime(1_000 + GRACE.toMillis() - 1);
        assertThat(harness.getSideOutput(RecsysFeatureJob.DEAD_LETTERS)).isNull();
        harness.setProcessingTime(1_000 + GRACE.toMillis());
        // Too late: the interaction is gone.
        harness.processElement2(new ItemCategory("i-404", "drama"), 0);
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));

        assertThat(harness.getSideOutput(RecsysFeatureJob.DEAD_LETTERS)).singleElement()
                .extracting(StreamRecord::getValue).isEqualTo(new DeadLetter(
                        "unknown item 'i-404': not in the catalogue 10 min after the interaction", json(orphan)));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void joinsToTheItemsLatestCategory() throws Exception {
        InteractionEvent before = view("e-1", "u-1", "i-1", T0, "FR");
        InteractionEvent after = view("e-2", "u-1", "i-1", T0.plusSeconds(1), "FR");
        harness.processElement2(new ItemCategory("i-1", "drama"), 0);
        send(before);
        harness.processElement2(new ItemCategory("i-1", "comedy"), 0);
        send(after);

        assertThat(harness.extractOutputValues()).containsExactly(categorized(before, "drama"), categorized(after, "comedy"));
    }

    private void send(InteractionEvent event) throws Exception {
        harness.processElement1(event, event.timestamp().toEpochMilli());
    }
}
