package dev.mlplatform.core.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An item of the recommendation catalogue, on the compacted topic {@code recsys.items.v1} (keyed by item id; the
 * latest record of an id is the item). Readers join interactions to it: trending per category, content-based
 * candidates, cold-start placement of new items.
 *
 * @param itemId      the item
 * @param title       its title, up to 512 characters
 * @param genres      its categories, at least one (lower-case names such as {@code comedy})
 * @param people      cast, authors, creators; may be empty
 * @param description free text, up to 4,096 characters; may be empty
 * @param publishedAt when it entered the catalogue: an item is new for a while after this
 */
public record CatalogueItem(String itemId, String title, List<String> genres, List<String> people,
                            String description, Instant publishedAt) {

    public static final int MAX_TITLE_LENGTH = 512;
    public static final int MAX_DESCRIPTION_LENGTH = 4096;

    public CatalogueItem {
        genres = genres == null ? null : List.copyOf(genres);
        people = people == null ? List.of() : List.copyOf(people);
        description = description == null ? "" : description;
    }

    /** The item's first genre: the category it is counted under in trending. */
    public String category() {
        return genres.get(0);
    }

    /** Every problem with the item; empty when it is valid. */
    public static List<TransactionValidator.FieldError> validate(CatalogueItem item) {
        List<TransactionValidator.FieldError> errors = new ArrayList<>();
        TransactionValidator.requireId(errors, "itemId", item.itemId());
        if (item.title() == null || item.title().isBlank() || item.title().length() > MAX_TITLE_LENGTH) {
            errors.add(new TransactionValidator.FieldError("title", "must be 1 to " + MAX_TITLE_LENGTH
                    + " characters, not blank"));
        }
        if (item.genres() == null || item.genres().isEmpty()) {
            errors.add(new TransactionValidator.FieldError("genres", "must name at least one genre"));
        } else if (item.genres().stream().anyMatch(genre -> genre == null || !TransactionValidator.validId(genre))) {
            errors.add(new TransactionValidator.FieldError("genres", "each " + TransactionValidator.ID_RULE));
        }
        if (item.description().length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new TransactionValidator.FieldError("description", "must be at most "
                    + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        if (item.publishedAt() == null) {
            errors.add(new TransactionValidator.FieldError("publishedAt", "is required"));
        }
        return errors;
    }
}
