package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.fraud.training.TrainingRuns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code ./platform fraud train} as a resource: a training run on historical transactions, started with a
 * POST and polled until it succeeded or failed. Its result is the command's {@code --json} object.
 */
@RestController
@RequestMapping(path = "/api/fraud/v1/training-runs", produces = MediaType.APPLICATION_JSON_VALUE)
class TrainingController {

    private final TrainingRuns runs;

    TrainingController(TrainingRuns runs) {
        this.runs = runs;
    }

    @Operation(summary = "Train and evaluate a fraud model on historical transactions",
            description = "The same as ./platform fraud train: features replayed from the file, a train / delay / "
                    + "test split by date, a GBDT and a logistic-regression baseline, AUC ROC, average precision, "
                    + "card precision@100 and the operating point at minPrecision, PR and ROC charts, and the GBDT "
                    + "registered as a candidate. Runs in the background, one at a time; poll the Location.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = TrainingRuns.Request.class,
                                    example = "{\"data\": \"fraud-sim/transactions-2018-04-01_2018-07-31.csv.gz\", "
                                            + "\"trainStart\": \"2018-07-01\", \"trainDays\": 7, \"delayDays\": 7, "
                                            + "\"testDays\": 7}"))))
    @ApiResponse(responseCode = "202", description = "Started; the run, RUNNING",
            headers = @Header(name = "Location", description = "Where to poll the run"),
            content = @Content(schema = @Schema(implementation = TrainingRuns.Run.class)))
    @ApiResponse(responseCode = "400", description = "Malformed request, a missing or out-of-range field, or a data "
            + "file outside the training data directory; errors name each field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "Another run is still training; start again later",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TrainingRuns.Run> start(@RequestBody(required = false) byte[] body) {
        TrainingRuns.Request request = JsonInput.read(body, TrainingRuns.Request.class,
                TrainingRuns.InvalidRequestException::new);
        TrainingRuns.Run run = runs.start(request);
        return ResponseEntity.accepted().location(URI.create("/api/fraud/v1/training-runs/" + run.id())).body(run);
    }

    @Operation(summary = "A training run: its status, progress and, once it succeeded, its metrics and model")
    @ApiResponse(responseCode = "200", description = "The run",
            content = @Content(schema = @Schema(implementation = TrainingRuns.Run.class)))
    @ApiResponse(responseCode = "404", description = "No such run among the last 20 since the service started",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @GetMapping("/{id}")
    TrainingRuns.Run run(@PathVariable String id) {
        return runs.find(id).orElseThrow(() -> new TrainingRunNotFoundException(id));
    }
}
