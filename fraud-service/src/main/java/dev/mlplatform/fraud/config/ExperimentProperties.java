package dev.mlplatform.fraud.config;

import dev.mlplatform.core.registry.ModelStage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A/B experiments between the production model and the canary, under {@code fraud.experiments.<name>.*};
 * none by default. For example:
 *
 * <pre>
 * fraud.experiments.gbdt-v7-vs-champion:
 *   start: 2026-12-01T00:00:00Z
 *   stop: 2026-12-15T00:00:00Z
 *   arms:
 *     - { name: champion, weight: 50, stage: production }
 *     - { name: challenger, weight: 50, stage: canary }
 * </pre>
 *
 * @param experiments by name; no two may run at the same time
 */
@ConfigurationProperties("fraud")
public record ExperimentProperties(@DefaultValue Map<String, Definition> experiments) {

    /**
     * @param salt  the assignment's salt; the experiment's name when not given
     * @param start when it starts; now when not given
     * @param stop  when it stops; never when not given
     * @param arms  the first is the control
     */
    public record Definition(String salt, Instant start, Instant stop, @DefaultValue List<Arm> arms) {
    }

    /**
     * @param name   the arm's name, as its metrics and the decision's reason carry it
     * @param weight its share of cards relative to the other arms
     * @param stage  the model that decides its cards: {@code production} or {@code canary}
     */
    public record Arm(String name, @DefaultValue("1") int weight, ModelStage stage) {
    }
}
