package dev.mlplatform.jobs.recsys;

import static dev.mlplatform.jobs.recsys.Interactions.item;
import static dev.mlplatform.jobs.recsys.Interactions.json;
import static dev.mlplatform.jobs.recsys.Interactions.rating;
import static dev.mlplatform.jobs.recsys.Interactions.search;
import static dev.mlplatform.jobs.recsys.Interactions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.jobs.common.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseFunctionsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void turnsEveryKindOfBadInteractionIntoADeadLetterWithTheReasonAndKeepsGoing() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, InteractionEvent> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new RecsysFeatureJob.ParseFunction())) {
            String truncated = json(view("e-1", "u-1", "i-1", T0, "FR")).substring(0, 30);
            String badRating = json(rating("e-2", "u-1", "i-1", 7.0, T0, "FR"));
            String searchWithoutQuery = json(search("e-3", "u-1", null, null, T0, "fr"));
            String future = json(view("e-4", "u-1", "i-1", Instant.now().plusSeconds(3600), null));
            for (String bad : List.of(truncated, badRating, searchWithoutQuery, future, " ", "null")) {
                harness.processElement(bad, 0);
            }
            harness.processElement(json(search("e-5", "u-1", "comedy", null, T0, "FR")), 0);

            List<DeadLetter> letters = harness.getSideOutput(RecsysFeatureJob.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).toList();
            assertThat(letters).extracting(DeadLetter::error).satisfiesExactly(
                    error -> assertThat(error).startsWith("malformed JSON"),
                    error -> assertThat(error).isEqualTo("invalid interaction: rating must be 0.5 to 5 in steps of 0.5"),
                    error -> assertThat(error).isEqualTo("invalid interaction: query is required for a search; "
                            + "region must be an ISO 3166 alpha-2 code such as FR"),
                    error -> assertThat(error).isEqualTo("invalid interaction: timestamp lies more than 5 minutes in the future"),
                    error -> assertThat(error).isEqualTo("empty record"),
                    error -> assertThat(error).isEqualTo("not an interaction object"));
            assertThat(letters.get(1).payload()).isEqualTo(badRating);
            assertThat(harness.extractOutputValues()).containsExactly(search("e-5", "u-1", "comedy", null, T0, "FR"));
        }
    }

    @Test
    void keepsOnlyTheCategoryOfAValidItemAndDeadLettersTheRest() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, ItemCategory> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new RecsysFeatureJob.ItemParseFunction())) {
            harness.processElement(json(item("i-1")), 0);
            harness.processElement("{\"itemId\": \"i-2\", \"price\": 3}", 0);
            harness.processElement(json(item("i-3", "drama", "comedy")), 0);

            assertThat(harness.getSideOutput(RecsysFeatureJob.DEAD_LETTERS)).extracting(StreamRecord::getValue)
                    .extracting(DeadLetter::error).satisfiesExactly(
                            error -> assertThat(error).isEqualTo("catalogue item: genres must name at least one genre"),
                            error -> assertThat(error).startsWith("catalogue item: malformed JSON").contains("price"));
            assertThat(harness.extractOutputValues()).containsExactly(new ItemCategory("i-3", "drama"));
        }
    }
}
