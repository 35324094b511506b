package dev.mlplatform.recsys.api;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.catalogue.CatalogueStore;
import dev.mlplatform.recsys.intake.InvalidRequestException;
import dev.mlplatform.recsys.intake.KafkaEventPublisher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The catalogue: an item is stored, announced on {@code recsys.items.v1} and recommendable at once. */
@RestController
@RequestMapping("/api/recs/v1/items")
class CatalogueController {

    private final CatalogueStore store;
    private final Catalogue catalogue;
    private final KafkaEventPublisher publisher;

    CatalogueController(CatalogueStore store, Catalogue catalogue, KafkaEventPublisher publisher) {
        this.store = store;
        this.catalogue = catalogue;
        this.publisher = publisher;
    }

    @Operation(summary = "Add or replace a catalogue item",
            description = "A new item is placed by its genres (content) and explored by the bandit until it has "
                    + "interactions of its own.")
    @ApiResponse(responseCode = "200", description = "Stored and announced")
    @ApiResponse(responseCode = "400", description = "A field at fault",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PutMapping(path = "/{itemId}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    CatalogueItem put(@PathVariable String itemId, @RequestBody(required = false) byte[] body) {
        CatalogueItem item = JsonInput.read(body, CatalogueItem.class, InvalidRequestException::new);
        if (!itemId.equals(item.itemId())) {
            throw new InvalidRequestException(List.of(new FieldError(
                    "itemId", "must equal the item id of the path, " + itemId)));
        }
        List<FieldError> errors = CatalogueItem.validate(item);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        store.upsert(List.of(item));
        // Published after the store: the job may then see an item the store has, never one it lacks.
        publisher.publish(item);
        catalogue.upsert(List.of(item));
        return item;
    }

    @Operation(summary = "One catalogue item")
    @ApiResponse(responseCode = "404", description = "No such item",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @GetMapping(path = "/{itemId}", produces = MediaType.APPLICATION_JSON_VALUE)
    CatalogueItem get(@PathVariable String itemId) {
        return catalogue.item(itemId).orElseThrow(() -> new ItemNotFoundException(itemId));
    }
}
