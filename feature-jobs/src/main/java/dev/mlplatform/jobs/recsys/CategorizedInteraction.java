package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.InteractionEvent;

/**
 * A valid, first-seen interaction with the category of its item ({@link dev.mlplatform.core.events.CatalogueItem#category()}),
 * as the job's features and lake take it; {@code category} is null for a search without an item.
 */
public record CategorizedInteraction(InteractionEvent event, String category) {

    public String userId() {
        return event.userId();
    }

    public long epochMillis() {
        return event.timestamp().toEpochMilli();
    }
}
