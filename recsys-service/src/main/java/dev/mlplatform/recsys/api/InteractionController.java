package dev.mlplatform.recsys.api;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.recsys.intake.InteractionIntake;
import dev.mlplatform.recsys.intake.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Interactions in over REST, onto {@code recsys.interactions.v1}. */
@RestController
@RequestMapping("/api/recs/v1")
class InteractionController {

    private final InteractionIntake intake;

    InteractionController(InteractionIntake intake) {
        this.intake = intake;
    }

    @Operation(summary = "Record an interaction: a view, a rating, a search or a watch",
            description = "Validated, checked against the catalogue and published once Kafka has it. Idempotent on "
                    + "eventId: the same event again is accepted again and sent once; other content under the same "
                    + "id is a conflict.")
    @ApiResponse(responseCode = "202", description = "On the topic (now, or when first sent)")
    @ApiResponse(responseCode = "400", description = "A field at fault, or an item not in the catalogue",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "409", description = "The event id was used for other content",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge it: send it again",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PostMapping(path = "/interactions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> record(@RequestBody(required = false) byte[] body) {
        InteractionEvent event = JsonInput.read(body, InteractionEvent.class, InvalidRequestException::new);
        InteractionIntake.Outcome outcome = intake.accept(event);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("eventId", event.eventId(),
                "status", outcome == InteractionIntake.Outcome.ACCEPTED ? "accepted" : "already-accepted"));
    }
}
