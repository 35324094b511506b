package dev.mlplatform.recsys.api;

import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.recsys.config.RecsysProperties;
import dev.mlplatform.recsys.intake.InvalidRequestException;
import dev.mlplatform.recsys.serving.RecommendationService;
import dev.mlplatform.recsys.serving.Recommendations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A user's recommendations. An unknown user is a cold start, never an error. */
@RestController
@RequestMapping("/api/recs/v1")
class RecommendationController {


    private final RecommendationService service;
    private final RecsysProperties properties;

    RecommendationController(RecommendationService service, RecsysProperties properties) {
        this.service = service;
        this.properties = properties;
    }

    @Operation(summary = "Recommend items to a user",
            description = "The nightly candidates of the user's history, adjusted by what they did in the last "
                    + "minutes, blended with trending and content, diversified (MMR) and with a new item explored. "
                    + "Each item says why; the response names the model versions and the experiment arm.")
    @ApiResponse(responseCode = "200", description = "The list, best first")
    @ApiResponse(responseCode = "400", description = "A parameter out of range; each named in errors",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @GetMapping(path = "/users/{userId}/recommendations", produces = MediaType.APPLICATION_JSON_VALUE)
    Recommendations recommend(
            @PathVariable String userId,
            @Parameter(description = "how many items, 1 to recs.max-k (100)") @RequestParam(required = false) String k,
            @Parameter(description = "the user's region now, ISO 3166 alpha-2") @RequestParam(required = false)
            String region,
            @Parameter(description = "MMR trade-off for this request, 0 (by score) to 1 (most varied)")
            @RequestParam(required = false) String diversity) {
        List<FieldError> errors = new ArrayList<>();
        if (!TransactionValidator.validId(userId)) {
            errors.add(new FieldError("userId", TransactionValidator.ID_RULE));
        }
        int count = parseK(k, errors);
        if (region != null && !TransactionValidator.validCountry(region)) {
            errors.add(new FieldError("region", TransactionValidator.COUNTRY_RULE));
        }
        Double mmr = parseDiversity(diversity, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return service.recommend(userId, count, region, mmr);
    }

    private int parseK(String k, List<FieldError> errors) {
        if (k == null) {
            return properties.defaultK();
        }
        try {
            int count = Integer.parseInt(k);
            if (count >= 1 && count <= properties.maxK()) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError("k", "must be a whole number from 1 to " + properties.maxK()));
        return 0;
    }

    private static Double parseDiversity(String diversity, List<FieldError> errors) {
        if (diversity == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(diversity);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError("diversity", "must be a number from 0 to 1"));
        return null;
    }
}
