package dev.mlplatform.recsys.ranking;

import dev.mlplatform.recsys.model.ItemNeighbours;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each source's raw scores become the [0, 1] features the blend weighs: one place, used by the service when it
 * serves and by the nightly job when it learns the weights, so that the ranker is trained on the features it is
 * served with.
 */
public final class SourceScoring {

    /** How many of the latest interactions drive the real-time sources, and how fast older ones fade. */
    public static final int RECENT_USED = 20;
    public static final double RECENT_DECAY = 0.85;
    /**
     * How many items the two-tower retrieval proposes from the whole catalogue: as many as MMR chooses a list of ten
     * from.
     */
    public static final int EMBEDDING_RETRIEVED = 50;

    private SourceScoring() {
    }

    /** An interaction as the real-time sources read it: its item and strength. */
    public record Interaction(String itemId, double strength) {
    }

    /** An item-item score and the interaction that contributed most to it (what explains it). */
    public record Contribution(double score, String cause) {
    }

    /** Each score over the largest; scores of 0 or less are left out; order kept. */
    public static Map<String, Double> byMax(Map<String, Double> scores) {
        double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, Double> scaled = new LinkedHashMap<>();
        if (max > 0) {
            scores.forEach((item, score) -> {
                if (score > 0) {
                    scaled.put(item, score / max);
                }
            });
        }
        return scaled;
    }

    /**
     * Scores that have no fixed range (inner products) from the weakest (0, left out) to the strongest (1); none
     * when fewer than two differ.
     */
    public static Map<String, Double> minMax(Map<String, Double> scores) {
        double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = scores.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        Map<String, Double> scaled = new LinkedHashMap<>();
        if (max > min) {
            scores.forEach((item, score) -> {
                double value = (score - min) / (max - min);
                if (value > 0) {
                    scaled.put(item, value);
                }
            });
        }
        return scaled;
    }

    /**
     * The real-time adjustment, unscaled: the item-item model's neighbours of the latest {@value #RECENT_USED}
     * interactions (newest first), each weighted by its strength and fading by {@value #RECENT_DECAY} per step.
     */
    public static Map<String, Contribution> recent(List<Interaction> newestFirst, ItemNeighbours neighbours) {
        Map<String, Double> scores = new HashMap<>();
        Map<String, String> strongestCause = new HashMap<>();
        Map<String, Double> strongestContribution = new HashMap<>();
        double fade = 1;
        for (Interaction interaction : newestFirst.subList(0, Math.min(RECENT_USED, newestFirst.size()))) {
            for (ItemNeighbours.Neighbour neighbour : neighbours.of(interaction.itemId())) {
                double contribution = fade * interaction.strength() * neighbour.weight();
                scores.merge(neighbour.itemId(), contribution, Double::sum);
                if (contribution > strongestContribution.getOrDefault(neighbour.itemId(), 0.0)) {
                    strongestContribution.put(neighbour.itemId(), contribution);
                    strongestCause.put(neighbour.itemId(), interaction.itemId());
                }
            }
            fade *= RECENT_DECAY;
        }
        Map<String, Contribution> contributions = new HashMap<>();
        scores.forEach((item, score) -> contributions.put(item, new Contribution(score, strongestCause.get(item))));
        return contributions;
    }

    /** The unscaled scores of {@link #recent}, for {@link #byMax}. */
    public static Map<String, Double> scores(Map<String, Contribution> contributions) {
        Map<String, Double> scores = new HashMap<>();
        contributions.forEach((item, contribution) -> scores.put(item, contribution.score()));
        return scores;
    }
}
