package dev.mlplatform.recsys.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The recommendation service's settings, under {@code recs.*}.
 *
 * @param redisUrl          the online store (and the service's impressions and bandit counts)
 * @param storeTimeout      bound on one online-store round trip; past it the user is served from memory
 * @param topics            Kafka topics
 * @param defaultK          list length when the request names none
 * @param maxK              the longest list a request may ask for
 * @param serving           the default policy (users outside any experiment)
 * @param attributionWindow how long after a list is shown an interaction with one of its items is its click
 * @param newItemAge        how long after publication an item is new, and may be explored
 * @param newItemsExplored  how many of the newest items the bandit chooses among
 * @param interactionAckTimeout how long a POSTed interaction waits for Kafka's acknowledgement
 * @param model             the registered item-item model serving the real-time adjustment
 * @param retrievalModel    the registered two-tower model serving nearest-neighbour retrieval
 * @param rankerModel       the registered blend weights learnt by the nightly job
 * @param artifactDir       the model registry's artifact store
 * @param experiments       A/B experiments between serving policies, by name; no two may run at once
 */
@ConfigurationProperties("recs")
public record RecsysProperties(
        @DefaultValue("redis://127.0.0.1:6379/0") String redisUrl,
        @DefaultValue("50ms") Duration storeTimeout,
        @DefaultValue Topics topics,
        @DefaultValue("10") int defaultK,
        @DefaultValue("100") int maxK,
        @DefaultValue Policy serving,
        @DefaultValue("30m") Duration attributionWindow,
        @DefaultValue("14d") Duration newItemAge,
        @DefaultValue("50") int newItemsExplored,
        @DefaultValue("2s") Duration interactionAckTimeout,
        @DefaultValue("recs-ease") String model,
        @DefaultValue("recs-two-tower") String retrievalModel,
        @DefaultValue("recs-ranker") String rankerModel,
        @DefaultValue(".platform/artifacts") Path artifactDir,
        @DefaultValue Map<String, ExperimentDefinition> experiments) {

    public record Topics(@DefaultValue("recsys.interactions.v1") String interactions,
                         @DefaultValue("recsys.items.v1") String items,
                         @DefaultValue("4") int partitions) {
    }

    /**
     * A serving policy: the blend weights of the sources, or with {@code learnt-weights: true} those of the
     * production ranker once one is registered (the hand-set ones until then), MMR's diversity and the bandit's
     * slots. The learnt weights are not the default: they are fitted on a split without event order, which cannot
     * show what the real-time sources are worth, so they earn their place in an experiment first.
     */
    public record Policy(@DefaultValue("1.0") double collaborative, @DefaultValue("0.8") double recent,
                         @DefaultValue("0.6") double embedding, @DefaultValue("0.3") double trending,
                         @DefaultValue("0.4") double content, @DefaultValue("false") boolean learntWeights,
                         @DefaultValue("0.3") double diversity, @DefaultValue("1") int explorationSlots) {
    }

    /**
     * For example, MMR on or off:
     * <pre>
     * recs.experiments.diversity-2026-12:
     *   arms:
     *     - { name: control, weight: 50 }
     *     - { name: no-mmr, weight: 50, policy: { diversity: 0 } }
     * </pre>
     *
     * @param arms the first is the control; an arm without a policy serves the default one
     */
    public record ExperimentDefinition(String salt, Instant start, Instant stop, @DefaultValue List<Arm> arms) {
    }

    public record Arm(String name, @DefaultValue("1") int weight, Policy policy) {
    }
}
