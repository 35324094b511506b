package dev.mlplatform.recsys.ranking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * How much each source counts in the blended score: the ranker. Each source's score is first scaled to [0, 1]
 * within the request ({@link SourceScoring}), so the weights compare like with like. Set by hand in a serving
 * policy, or learnt by the nightly job and registered; the artifact is one {@code source=weight} line per source.
 */
public record BlendWeights(double collaborative, double recent, double embedding, double trending, double content) {

    /** The hand-set default: the user's own history first, the last minutes next, then taste and the crowd. */
    public static final BlendWeights DEFAULT = new BlendWeights(1.0, 0.8, 0.6, 0.3, 0.4);

    public BlendWeights {
        for (double weight : new double[] {collaborative, recent, embedding, trending, content}) {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("blend weights must be finite and 0 or more, got " + weight);
            }
        }
    }

    /** All weight on one source: what that source alone would serve. */
    public static BlendWeights only(Source source) {
        Map<Source, Double> weights = new EnumMap<>(Source.class);
        weights.put(source, 1.0);
        return of(weights);
    }

    /** From a weight per source; a source not named weighs 0 (exploration always does). */
    public static BlendWeights of(Map<Source, Double> weights) {
        return new BlendWeights(weights.getOrDefault(Source.COLLABORATIVE, 0.0), weights.getOrDefault(Source.RECENT, 0.0),
                weights.getOrDefault(Source.EMBEDDING, 0.0), weights.getOrDefault(Source.TRENDING, 0.0),
                weights.getOrDefault(Source.CONTENT, 0.0));
    }

    public double of(Source source) {
        return switch (source) {
            case COLLABORATIVE -> collaborative;
            case RECENT -> recent;
            case EMBEDDING -> embedding;
            case TRENDING -> trending;
            case CONTENT -> content;
            case EXPLORATION -> 0;
        };
    }

    public Map<Source, Double> asMap() {
        Map<Source, Double> map = new EnumMap<>(Source.class);
        for (Source source : Source.values()) {
            map.put(source, of(source));
        }
        return map;
    }

    /** The blended score of one item's scaled source scores, scaled back to [0, 1] by the weights' total. */
    public double blend(Map<Source, Double> scaledScores) {
        double total = 0;
        double weightSum = 0;
        for (Source source : Source.values()) {
            double weight = of(source);
            weightSum += weight;
            total += weight * scaledScores.getOrDefault(source, 0.0);
        }
        return weightSum == 0 ? 0 : total / weightSum;
    }

    public void write(OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (Source source : Source.values()) {
            if (source != Source.EXPLORATION) {
                writer.write(source.label() + "=" + of(source) + "\n");
            }
        }
        writer.flush();
    }

    public static BlendWeights read(InputStream in) throws IOException {
        Map<Source, Double> weights = new EnumMap<>(Source.class);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            int equals = line.indexOf('=');
            if (line.isBlank()) {
                continue;
            }
            try {
                weights.put(Source.valueOf(line.substring(0, Math.max(0, equals)).trim().toUpperCase()),
                        Double.parseDouble(line.substring(equals + 1).trim()));
            } catch (IllegalArgumentException e) {
                throw new IOException("not a blend-weights line: '" + line + "'", e);
            }
        }
        try {
            return of(weights);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
