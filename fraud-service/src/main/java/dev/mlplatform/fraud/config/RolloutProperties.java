package dev.mlplatform.fraud.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The challengers beside the production model, under {@code fraud.rollout.*}. Which versions are
 * canary and shadow is the registry's business (stages); this is how they serve.
 *
 * @param canaryShare   the fraction of cards a canary version decides, chosen by the card token's
 *                      stable hash: the same cards every time, and raising the share only adds cards
 * @param canarySalt    the canary split's salt: change it to draw another sample of cards
 * @param shadowTimeout how long a decision waits for the shadow model after production answered;
 *                      past it the decision is stored without the shadow's score
 * @param shadowThreads threads the shadow model scores on, beside the request threads
 * @param shadowQueue   batches that may wait for a shadow thread; more are not shadow-scored
 */
@ConfigurationProperties("fraud.rollout")
public record RolloutProperties(
        @DefaultValue("0.1") double canaryShare,
        @DefaultValue("fraud-canary") String canarySalt,
        @DefaultValue("10ms") Duration shadowTimeout,
        @DefaultValue("1") int shadowThreads,
        @DefaultValue("64") int shadowQueue) {
}
