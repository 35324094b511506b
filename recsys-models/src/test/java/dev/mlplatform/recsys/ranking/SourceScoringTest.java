package dev.mlplatform.recsys.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.mlplatform.recsys.model.ItemNeighbours;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceScoringTest {

    @Test
    void byMaxKeepsPositiveScoresOverTheLargest() {
        Map<String, Double> raw = new LinkedHashMap<>();
        raw.put("a", 4.0);
        raw.put("b", 1.0);
        raw.put("c", -2.0);

        assertThat(SourceScoring.byMax(raw)).containsExactly(Map.entry("a", 1.0), Map.entry("b", 0.25));
    }

    @Test
    void minMaxRunsFromTheWeakestLeftOutToTheStrongest() {
        assertThat(SourceScoring.minMax(Map.of("a", 3.0, "b", 1.0, "c", -1.0)))
                .containsOnly(Map.entry("a", 1.0), Map.entry("b", 0.5));
        assertThat(SourceScoring.minMax(Map.of("a", 2.0))).as("nothing to scale against").isEmpty();
    }

    @Test
    void recentSumsNeighboursOfTheLatestFadingWithAgeAndNamesTheStrongestCause() {
        ItemNeighbours neighbours = new ItemNeighbours(Map.of(
                "x", List.of(new ItemNeighbours.Neighbour("n", 0.5f)),
                "y", List.of(new ItemNeighbours.Neighbour("n", 1.0f), new ItemNeighbours.Neighbour("m", 0.2f))));

        Map<String, SourceScoring.Contribution> recent = SourceScoring.recent(
                List.of(new SourceScoring.Interaction("x", 2.0), new SourceScoring.Interaction("y", 1.0)), neighbours);

        assertThat(recent.get("n").score()).isCloseTo(2.0 * 0.5 + SourceScoring.RECENT_DECAY * 1.0, offset(1e-9));
        assertThat(recent.get("n").cause()).as("1.0 from x beats 0.85 from y").isEqualTo("x");
        assertThat(recent.get("m").cause()).isEqualTo("y");
    }
}
