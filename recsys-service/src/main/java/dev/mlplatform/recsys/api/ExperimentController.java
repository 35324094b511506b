package dev.mlplatform.recsys.api;

import dev.mlplatform.core.experiment.ExperimentReport;
import dev.mlplatform.recsys.serving.ServingExperiments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where the A/B experiments between serving policies stand: per arm CTR and watch time, and their tests. */
@RestController
@RequestMapping("/api/recs/v1/experiments")
class ExperimentController {

    private final ServingExperiments experiments;

    ExperimentController(ServingExperiments experiments) {
        this.experiments = experiments;
    }

    @Operation(summary = "The experiments configured")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<String> list() {
        return experiments.all().stream().map(running -> running.experiment().name()).toList();
    }

    @Operation(summary = "An experiment's report",
            description = "Units are lists shown whose attribution window has closed; click is the share of them "
                    + "with an interaction on one of their items; watch_seconds the mean watch time. Each treatment "
                    + "arm is tested against the control (two-proportion z-test, Welch's t-test). This instance's "
                    + "counts; Prometheus sums every instance's.")
    @ApiResponse(responseCode = "404", description = "No such experiment",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    ExperimentReport report(@PathVariable String name) {
        return experiments.experiment(name)
                .map(running -> running.outcomes().report())
                .orElseThrow(() -> new ExperimentNotFoundException(name));
    }
}
