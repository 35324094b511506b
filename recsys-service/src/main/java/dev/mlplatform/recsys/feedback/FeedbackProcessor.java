package dev.mlplatform.recsys.feedback;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.recsys.serving.ServingExperiments;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * What the service learns from interactions: each one (once, by event id) is credited to the user's open
 * impression, and an interaction with an item the bandit placed is the bandit's success. Impressions whose
 * window has passed are closed into their experiment arm's outcomes.
 */
public final class FeedbackProcessor {

    /** How long an event id is remembered, so a redelivered event is not credited twice. */
    static final Duration SEEN_FOR = Duration.ofDays(1);

    private final RedisCommands<String, String> redis;
    private final ImpressionLog impressions;
    private final NewItemBandit bandit;
    private final ServingExperiments experiments;
    private final Counter clicks;
    private final Counter duplicates;

    public FeedbackProcessor(RedisCommands<String, String> redis, ImpressionLog impressions, NewItemBandit bandit,
                             ServingExperiments experiments, MeterRegistry meters) {
        this.redis = redis;
        this.impressions = impressions;
        this.bandit = bandit;
        this.experiments = experiments;
        this.clicks = Counter.builder("recs.feedback.clicks")
                .description("Interactions credited to a list the user was shown").register(meters);
        this.duplicates = Counter.builder("recs.feedback.duplicates")
                .description("Interactions delivered again and ignored").register(meters);
    }

    public void accept(InteractionEvent event) {
        if (!"OK".equals(redis.set("recs:feedback:seen:" + event.eventId(), "1",
                SetArgs.Builder.nx().px(SEEN_FOR.toMillis())))) {
            duplicates.increment();
            return;
        }
        ImpressionLog.Attribution attribution = impressions.attribute(event);
        if (attribution.inImpression()) {
            clicks.increment();
        }
        if (attribution.explored() && attribution.firstOnItem()) {
            bandit.succeeded(event.itemId());
        }
    }

    /** Closes the impressions due at {@code now} into their arms; returns how many this instance closed. */
    public int closeDue(Instant now) {
        int closed = 0;
        for (ImpressionLog.ClosedImpression impression : impressions.closeDue(now)) {
            experiments.recordOutcome(impression.experiment(), impression.arm(), impression.clicked(),
                    impression.watchSeconds());
            closed++;
        }
        return closed;
    }
}
