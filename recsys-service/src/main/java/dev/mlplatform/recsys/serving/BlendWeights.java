package dev.mlplatform.recsys.serving;

import java.util.EnumMap;
import java.util.Map;

/**
 * How much each source counts in the blended score: the ranker. Each source's score is first scaled to [0, 1]
 * within the request, so the weights compare like with like.
 */
public record BlendWeights(double collaborative, double recent, double embedding, double trending, double content) {

    /** The default: the user's own history first, the last minutes next, then taste and the crowd. */
    public static final BlendWeights DEFAULT = new BlendWeights(1.0, 0.8, 0.6, 0.3, 0.4);

    public BlendWeights {
        for (double weight : new double[] {collaborative, recent, embedding, trending, content}) {
            if (!(weight >= 0)) {
                throw new IllegalArgumentException("blend weights must be 0 or more, got " + weight);
            }
        }
    }

    double of(Source source) {
        return switch (source) {
            case COLLABORATIVE -> collaborative;
            case RECENT -> recent;
            case EMBEDDING -> embedding;
            case TRENDING -> trending;
            case CONTENT -> content;
            case EXPLORATION -> 0;
        };
    }

    Map<Source, Double> asMap() {
        Map<Source, Double> map = new EnumMap<>(Source.class);
        for (Source source : Source.values()) {
            map.put(source, of(source));
        }
        return map;
    }
}
