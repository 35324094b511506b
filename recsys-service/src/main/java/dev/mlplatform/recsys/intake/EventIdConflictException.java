package dev.mlplatform.recsys.intake;

/** An event id sent again with different content: a client bug, refused rather than silently overwritten. */
public final class EventIdConflictException extends RuntimeException {

    public EventIdConflictException(String eventId) {
        super("event " + eventId + " was already accepted with different content");
    }
}
