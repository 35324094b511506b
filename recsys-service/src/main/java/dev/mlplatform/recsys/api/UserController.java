package dev.mlplatform.recsys.api;

import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.featurestore.ErasureReport;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.recsys.intake.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's own data. Onboarding: a new user states the genres they like (and where they are), which the next list
 * uses at once — content candidates and the trending lists of those genres — before the user has any history.
 * Erasure: every feature of the user, online and offline, on request (GDPR).
 */
@RestController
@RequestMapping("/api/recs/v1/users")
class UserController {

    static final int MAX_GENRES = 10;

    private final FeatureStore store;
    private final Clock clock;

    UserController(FeatureStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @param genres most liked first */
    record Preferences(List<String> genres, String region) {
    }

    @Operation(summary = "State a user's preferences (onboarding)")
    @ApiResponse(responseCode = "200", description = "Stored; the next list uses them")
    @ApiResponse(responseCode = "400", description = "A field at fault",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PutMapping(path = "/{userId}/preferences", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Preferences put(@PathVariable String userId, @RequestBody(required = false) byte[] body) {
        Preferences preferences = JsonInput.read(body, Preferences.class, InvalidRequestException::new);
        List<FieldError> errors = new ArrayList<>();
        if (!TransactionValidator.validId(userId)) {
            errors.add(new FieldError("userId", TransactionValidator.ID_RULE));
        }
        if (preferences.genres() == null || preferences.genres().isEmpty()
                || preferences.genres().size() > MAX_GENRES) {
            errors.add(new FieldError("genres", "must name 1 to " + MAX_GENRES + " genres"));
        } else if (preferences.genres().stream().anyMatch(g -> g == null || !TransactionValidator.validId(g))) {
            errors.add(new FieldError("genres", "each " + TransactionValidator.ID_RULE));
        }
        if (preferences.region() != null && !TransactionValidator.validCountry(preferences.region())) {
            errors.add(new FieldError("region", TransactionValidator.COUNTRY_RULE));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        store.write(RecsysFeatures.USER_PREFERENCES, List.of(new FeatureRow(userId, clock.instant(), Map.of(
                "genres", String.join(",", preferences.genres()),
                "region", preferences.region() == null ? "" : preferences.region()))));
        return preferences;
    }

    @Operation(summary = "Erase a user (GDPR)",
            description = "Deletes every feature view of the user — candidates, recent history, preferences — online "
                    + "and from the offline log, and reports what was removed. Interactions already in the Parquet "
                    + "lake are not touched: its files are immutable, and rewriting them is a batch job not built yet.")
    @ApiResponse(responseCode = "200", description = "What was erased")
    @ApiResponse(responseCode = "400", description = "A malformed user id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @DeleteMapping(path = "/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ErasureReport erase(@PathVariable String userId) {
        if (!TransactionValidator.validId(userId)) {
            throw new InvalidRequestException(List.of(new FieldError("userId", TransactionValidator.ID_RULE)));
        }
        return store.erase(RecsysFeatures.USER, userId);
    }
}
