package dev.mlplatform.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a user did with the catalogue, on {@code recsys.interactions.v1}: viewed an item, rated it, searched,
 * or watched it for a while. Keyed by user, so that one user's events stay in order on one partition.
 * Delivery is at least once; {@code eventId} makes every consumer idempotent.
 *
 * @param eventId      unique per event; a repeat of an id is the same event delivered again
 * @param userId       who
 * @param itemId       which item; required except for a search, where it is the result the user opened, if any
 * @param type         one of {@link #TYPES}
 * @param rating       for a rating: 0.5 to 5 in steps of 0.5
 * @param watchSeconds for a watch: seconds watched, up to a day
 * @param query        for a search: what was typed, up to 256 characters
 * @param region       where the user is, an ISO 3166 alpha-2 code such as FR; trending is kept per region
 * @param timestamp    when it happened (its event time)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InteractionEvent(String eventId, String userId, String itemId, String type, Double rating,
                               Integer watchSeconds, String query, String region, Instant timestamp) {

    public static final String VIEW = "view";
    public static final String RATING = "rating";
    public static final String SEARCH = "search";
    public static final String WATCH = "watch";
    public static final Set<String> TYPES = Set.of(VIEW, RATING, SEARCH, WATCH);
    public static final int MAX_QUERY_LENGTH = 256;
    public static final int MAX_WATCH_SECONDS = (int) Duration.ofDays(1).toSeconds();

    /** Every problem with the event; empty when it is valid. {@code now} bounds future timestamps. */
    public static List<TransactionValidator.FieldError> validate(InteractionEvent event, Instant now) {
        List<TransactionValidator.FieldError> errors = new ArrayList<>();
        TransactionValidator.requireId(errors, "eventId", event.eventId());
        TransactionValidator.requireId(errors, "userId", event.userId());
        if (event.type() == null) {
            errors.add(error("type", "is required"));
        } else if (!TYPES.contains(event.type())) {
            errors.add(error("type", "must be one of " + TYPES.stream().sorted().toList()));
        }
        if (SEARCH.equals(event.type())) {
            if (event.itemId() != null) {
                TransactionValidator.requireId(errors, "itemId", event.itemId());
            }
        } else {
            TransactionValidator.requireId(errors, "itemId", event.itemId());
        }
        onlyFor(errors, event, RATING, "rating", event.rating());
        onlyFor(errors, event, WATCH, "watchSeconds", event.watchSeconds());
        onlyFor(errors, event, SEARCH, "query", event.query());
        if (event.rating() != null && !(event.rating() >= 0.5 && event.rating() <= 5
                && event.rating() * 2 == Math.rint(event.rating() * 2))) {
            errors.add(error("rating", "must be 0.5 to 5 in steps of 0.5"));
        }
        if (event.watchSeconds() != null && (event.watchSeconds() < 0 || event.watchSeconds() > MAX_WATCH_SECONDS)) {
            errors.add(error("watchSeconds", "must be 0 to " + MAX_WATCH_SECONDS + " (a day)"));
        }
        if (event.query() != null && (event.query().isBlank() || event.query().length() > MAX_QUERY_LENGTH)) {
            errors.add(error("query", "must be 1 to " + MAX_QUERY_LENGTH + " characters, not blank"));
        }
        if (event.region() != null && !TransactionValidator.validCountry(event.region())) {
            errors.add(error("region", TransactionValidator.COUNTRY_RULE));
        }
        if (event.timestamp() == null) {
            errors.add(error("timestamp", "is required"));
        } else if (event.timestamp().isAfter(now.plus(TransactionValidator.MAX_FUTURE_SKEW))) {
            errors.add(error("timestamp", "lies more than 5 minutes in the future"));
        }
        return errors;
    }

    /** How strongly the event says the user likes the item, for implicit-feedback models (confidence). */
    public double strength() {
        return switch (type) {
            case RATING -> rating / 2.5;
            case WATCH -> 1 + Math.min(watchSeconds, 7200) / 1800.0;
            case SEARCH -> 0.5;
            default -> 1;
        };
    }

    private static void onlyFor(List<TransactionValidator.FieldError> errors, InteractionEvent event, String type,
                                String field, Object value) {
        if (type.equals(event.type()) && value == null) {
            errors.add(error(field, "is required for a " + type));
        } else if (event.type() != null && !type.equals(event.type()) && value != null) {
            errors.add(error(field, "is only for a " + type + ", not a " + event.type()));
        }
    }

    private static TransactionValidator.FieldError error(String field, String message) {
        return new TransactionValidator.FieldError(field, message);
    }
}
