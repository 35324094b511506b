package dev.mlplatform.recsys.intake;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.recsys.catalogue.Catalogue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Interactions posted over REST: validated field by field, the item checked against the catalogue, made
 * idempotent on the event id (Redis remembers each id's content digest for a day: the same event again is
 * accepted again without a second send, other content under the same id is a conflict), then published.
 */
public final class InteractionIntake {

    static final Duration REMEMBERED_FOR = Duration.ofDays(1);

    /** Whether the event was sent now or had been accepted before. */
    public enum Outcome { ACCEPTED, ALREADY_ACCEPTED }

    private final Catalogue catalogue;
    private final RedisCommands<String, String> redis;
    private final Consumer<InteractionEvent> publisher;
    private final Clock clock;

    /** @param publisher sends the event and returns once the broker has it; throws when it could not */
    public InteractionIntake(Catalogue catalogue, RedisCommands<String, String> redis,
                             Consumer<InteractionEvent> publisher, Clock clock) {
        this.catalogue = catalogue;
        this.redis = redis;
        this.publisher = publisher;
        this.clock = clock;
    }

    public Outcome accept(InteractionEvent event) {
        List<FieldError> errors = new ArrayList<>(InteractionEvent.validate(event, clock.instant()));
        if (errors.isEmpty() && event.itemId() != null && !catalogue.contains(event.itemId())) {
            errors.add(new FieldError("itemId", "is not in the catalogue: " + event.itemId()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String key = "recs:interaction:" + event.eventId();
        String digest = digest(event);
        String stored = redis.setGet(key, digest, SetArgs.Builder.nx().px(REMEMBERED_FOR.toMillis()));
        if (stored != null) {
            if (!stored.equals(digest)) {
                throw new EventIdConflictException(event.eventId());
            }
            return Outcome.ALREADY_ACCEPTED;
        }
        try {
            publisher.accept(event);
        } catch (RuntimeException e) {
            // Not sent: forget the id, so that the client's retry is sent rather than taken for a repeat.
            redis.del(key);
            throw e;
        }
        return Outcome.ACCEPTED;
    }

    private static String digest(InteractionEvent event) {
        try {
            byte[] json = EventJson.MAPPER.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
