package dev.mlplatform.recsys.feedback;

import java.time.Instant;
import java.util.List;

/**
 * One list shown to a user: what was in it and which experiment arm served it. It stays open for the attribution
 * window; an interaction of the user with one of its items meanwhile is its click.
 *
 * @param explored the items the bandit placed, whose click is the bandit's success
 */
public record Impression(String id, String userId, String experiment, String arm, List<String> items,
                         List<String> explored, Instant servedAt) {

    public Impression {
        items = List.copyOf(items);
        explored = List.copyOf(explored);
    }
}
