package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.InteractionEvent;
import java.time.Instant;
import java.util.List;

/** Interactions and catalogue items as producers send them, for the job's tests. */
final class Interactions {

    private Interactions() {
    }

    static InteractionEvent view(String eventId, String userId, String itemId, Instant time, String region) {
        return new InteractionEvent(eventId, userId, itemId, InteractionEvent.VIEW, null, null, null, region, time);
    }

    static InteractionEvent rating(String eventId, String userId, String itemId, double rating, Instant time,
                                   String region) {
        return new InteractionEvent(eventId, userId, itemId, InteractionEvent.RATING, rating, null, null, region, time);
    }

    static InteractionEvent watch(String eventId, String userId, String itemId, int seconds, Instant time,
                                  String region) {
        return new InteractionEvent(eventId, userId, itemId, InteractionEvent.WATCH, null, seconds, null, region, time);
    }

    /** A search; {@code itemId} is the result the user opened, or null. */
    static InteractionEvent search(String eventId, String userId, String query, String itemId, Instant time,
                                   String region) {
        return new InteractionEvent(eventId, userId, itemId, InteractionEvent.SEARCH, null, null, query, region, time);
    }

    static CategorizedInteraction categorized(InteractionEvent event, String category) {
        return new CategorizedInteraction(event, category);
    }

    static CatalogueItem item(String itemId, String... genres) {
        return new CatalogueItem(itemId, "Title of " + itemId, List.of(genres), List.of("Someone"), "",
                Instant.parse("2025-01-01T00:00:00Z"));
    }

    static String json(Object event) {
        return EventJson.MAPPER.writeValueAsString(event);
    }
}
