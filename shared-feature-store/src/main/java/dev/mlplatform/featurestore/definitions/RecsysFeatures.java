package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.time.Duration;
import java.util.List;

/**
 * The recommendation system's entities and feature views, declared once for the Flink job that keeps the fresh
 * ones, the Spark job that precomputes candidates, and the service that reads both.
 *
 * <p>Item lists are STRING features in one compact form, {@link RankedItems}: {@code id:score,id:score,...}, best
 * first, so that one online read returns a whole list.
 */
public final class RecsysFeatures {

    public static final Entity USER = new Entity("user", "user_id", "A person the catalogue is recommended to");
    public static final Entity SEGMENT = new Entity("segment", "segment_id",
            "A slice of the audience or the catalogue that trending is counted for: 'all', 'region:FR', "
            + "'category:comedy'");

    /** How many items of a user's latest interactions are kept, newest first. */
    public static final int RECENT_ITEMS = 50;
    /** How many items a trending list holds. */
    public static final int TRENDING_ITEMS = 100;
    /** How many candidates per user the nightly batch precomputes. */
    public static final int CANDIDATES = 200;

    /** Trending: interactions counted over this window, sliding by {@link #TRENDING_SLIDE} (event time). */
    public static final Duration TRENDING_WINDOW = Duration.ofHours(1);
    public static final Duration TRENDING_SLIDE = Duration.ofMinutes(5);

    /** Per user: the latest interactions, newest first, with their strength; counts over the last hour. */
    public static final FeatureView USER_RECENT = new FeatureView("user_recent", 1, USER, List.of(
            new Feature("recent_items", ValueType.STRING,
                    "the latest " + RECENT_ITEMS + " distinct items interacted with, newest first, as item:strength"),
            new Feature("interactions_1h", ValueType.LONG, "interactions in the hour up to the latest"),
            new Feature("last_region", ValueType.STRING, "the region of the latest interaction that named one"),
            new Feature("last_interaction_at", ValueType.LONG, "event time of the latest interaction, epoch ms")),
            Duration.ofDays(90), "recsys-team",
            "A user's latest interactions and how active they are (event time; from recsys.interactions.v1)");

    /** Per segment: the most interacted-with items over the trending window, as item:count. */
    public static final FeatureView TRENDING = new FeatureView("trending", 1, SEGMENT, List.of(
            new Feature("top_items", ValueType.STRING,
                    "the " + TRENDING_ITEMS + " items with most interactions in the window, as item:count"),
            new Feature("interactions", ValueType.LONG, "all interactions of the segment in the window"),
            new Feature("window_end", ValueType.LONG, "end of the window, epoch ms")),
            Duration.ofHours(6), "recsys-team",
            "Trending items per region, per category and overall over the last hour, sliding every 5 minutes "
            + "(event time)");

    /** Per user: the nightly batch's candidates, best first, as item:score, and which model made them. */
    public static final FeatureView USER_CANDIDATES = new FeatureView("user_candidates", 1, USER, List.of(
            new Feature("items", ValueType.STRING, "up to " + CANDIDATES + " candidates, best first, as item:score"),
            new Feature("model", ValueType.STRING, "the registered model that scored them, as name:version"),
            new Feature("computed_at", ValueType.LONG, "when the batch computed them, epoch ms")),
            Duration.ofDays(3), "recsys-team",
            "Each user's candidates precomputed by the nightly Spark job over the lake");

    /** Per user: what they told onboarding they like, and where they are (written by the service). */
    public static final FeatureView USER_PREFERENCES = new FeatureView("user_preferences", 1, USER, List.of(
            new Feature("genres", ValueType.STRING, "the genres the user chose, comma-separated, first liked most"),
            new Feature("region", ValueType.STRING, "the user's region, an ISO 3166 alpha-2 code, or empty")),
            Duration.ofDays(3650), "recsys-team", "Stated preferences from onboarding: the cold-start signal");

    /** The views the Flink job writes. */
    public static final List<FeatureView> STREAMED_VIEWS = List.of(USER_RECENT, TRENDING);

    /** Segment ids. */
    public static final String ALL = "all";

    public static String regionSegment(String region) {
        return "region:" + region;
    }

    public static String categorySegment(String category) {
        return "category:" + category;
    }

    private RecsysFeatures() {
    }
}
