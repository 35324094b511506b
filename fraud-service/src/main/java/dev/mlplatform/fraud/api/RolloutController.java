package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.experiment.ArmSummary;
import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.experiment.ExperimentOutcomes;
import dev.mlplatform.core.experiment.ExperimentReport;
import dev.mlplatform.core.experiment.MeanTest;
import dev.mlplatform.core.experiment.ProportionTest;
import dev.mlplatform.core.registry.ModelRolledBack;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.config.RolloutProperties;
import dev.mlplatform.fraud.model.ChallengerOutcomes;
import dev.mlplatform.fraud.model.ChampionChallengers;
import dev.mlplatform.fraud.model.ModelExperiment;
import dev.mlplatform.fraud.model.ModelRollout;
import dev.mlplatform.fraud.model.ServingModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Model management: the versions and where each stands, stage changes (shadow, canary, promote,
 * archive), rollback, and the A/B experiments between production and canary. Changes go to the
 * registry and are served by this instance at once; other instances follow at their next poll.
 */
@RestController
@RequestMapping(path = "/api/fraud/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class RolloutController {

    /** Significance level of the experiment tests' {@code significant} flags. */
    static final double ALPHA = 0.05;
    private static final Set<ModelStage> SETTABLE = Set.of(ModelStage.SHADOW, ModelStage.CANARY, ModelStage.PRODUCTION,
            ModelStage.ARCHIVED);
    private static final String STAGES = "SHADOW, CANARY, PRODUCTION or ARCHIVED";
    private static final int MAX_REASON = 500;

    @Schema(description = "The versions in service now; null where none")
    record ServingResponse(@Schema(example = "fraud-gbdt:3") String production,
                           @Schema(example = "fraud-gbdt:4") String canary,
                           @Schema(example = "fraud-gbdt:5") String shadow) {
    }

    @Schema(description = "One registered version")
    record VersionResponse(@Schema(example = "fraud-gbdt:4") String version, int number,
                           @Schema(allowableValues = {"REGISTERED", "SHADOW", "CANARY", "PRODUCTION", "ARCHIVED"}) String stage,
                           @Schema(description = "PRODUCTION, CANARY or SHADOW when this instance serves it so, else null")
                           String serving,
                           Map<String, Double> metrics, String trainingDataId, Instant registeredAt,
                           Instant stageChangedAt) {
    }

    @Schema(description = "The model's versions and how they serve")
    record ModelsResponse(String model, ServingResponse serving,
                          @Schema(description = "fraction of cards the canary decides outside experiments") double canaryShare,
                          @Schema(description = "the experiment routing cards now, or null") String experiment,
                          List<VersionResponse> versions) {
    }

    @Schema(description = "Where to put a version, and why (kept in the registry's history)")
    record StageRequest(@Schema(example = "CANARY", allowableValues = {"SHADOW", "CANARY", "PRODUCTION", "ARCHIVED"})
                        String stage,
                        @Schema(example = "held-out AUC 0.81 against 0.75") String reason) {
    }

    @Schema(description = "Why production goes back")
    record RollbackRequest(@Schema(example = "decline rate doubled after the promotion") String reason) {
    }

    record StageChangeResponse(String version, String stage, String previousStage, ServingResponse serving) {
    }

    record RollbackResponse(@Schema(example = "fraud-gbdt:4") String from, @Schema(example = "fraud-gbdt:3") String to,
                            ServingResponse serving) {
    }

    @Schema(description = "One arm: its cards' decisions in this instance since it started")
    record ArmResponse(String name, int weight, String stage, String modelVersion, long transactions, long declines,
                       long reviews, Double declineRate, Double reviewRate, Double meanRiskScore) {
    }

    @Schema(description = "Two-proportion z-test, two-sided; null where the data cannot support it")
    record RateTestResponse(Double control, Double treatment, Double difference, Double z, Double pValue,
                            boolean significant) {

        static RateTestResponse of(ProportionTest test) {
            return new RateTestResponse(finite(test.controlRate()), finite(test.treatmentRate()),
                    finite(test.difference()), finite(test.z()), finite(test.pValue()), test.significantAt(ALPHA));
        }
    }

    @Schema(description = "Welch's t-test, two-sided; null where the data cannot support it")
    record MeanTestResponse(Double control, Double treatment, Double difference, Double t, Double degreesOfFreedom,
                            Double pValue, boolean significant) {

        static MeanTestResponse of(MeanTest test) {
            return new MeanTestResponse(finite(test.controlMean()), finite(test.treatmentMean()),
                    finite(test.difference()), finite(test.t()), finite(test.degreesOfFreedom()),
                    finite(test.pValue()), test.significantAt(ALPHA));
        }
    }

    @Schema(description = "A treatment arm against the control arm")
    record ComparisonResponse(String arm, String control, RateTestResponse declineRate, RateTestResponse reviewRate,
                              MeanTestResponse meanRiskScore) {
    }

    @Schema(description = "An experiment's definition, per-arm counts and significance tests")
    record ExperimentResponse(String name,
                              @Schema(description = "whether it routes cards now: in its time window, every arm's model serving")
                              boolean active,
                              Instant start, Instant stop, String salt,
                              @Schema(description = "significance level of the tests' 'significant' flags") double alpha,
                              List<ArmResponse> arms, List<ComparisonResponse> comparisons) {
    }

    private final ModelRollout rollout;
    private final ServingModel production;
    private final ChampionChallengers routing;
    private final ChallengerOutcomes outcomes;
    private final double canaryShare;

    RolloutController(ModelRollout rollout, ServingModel production, ChampionChallengers routing,
                      ChallengerOutcomes outcomes, RolloutProperties properties) {
        this.rollout = rollout;
        this.production = production;
        this.routing = routing;
        this.outcomes = outcomes;
        this.canaryShare = properties.canaryShare();
    }

    @Operation(summary = "The model's versions, their stages, and which serve as production, canary and shadow")
    @GetMapping("/models")
    ModelsResponse models() {
        ServingResponse serving = serving();
        List<VersionResponse> versions = rollout.versions().stream().map(version -> describe(version, serving)).toList();
        return new ModelsResponse(rollout.modelName(), serving, canaryShare,
                routing.activeExperiment().map(ModelExperiment::name).orElse(null), versions);
    }

    @Operation(summary = "Put a version in shadow, in canary, in production (promote) or in the archive",
            description = "Changes the registry and swaps the models this instance serves at once, without failing a "
                    + "request; other instances follow within their registry poll. A new shadow or canary archives the "
                    + "version it replaces; a promotion archives the production version it replaces, which a rollback "
                    + "restores.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = StageRequest.class))))
    @ApiResponse(responseCode = "200", description = "The version's new stage and what serves now",
            content = @Content(schema = @Schema(implementation = StageChangeResponse.class)))
    @ApiResponse(responseCode = "400", description = "No valid stage or reason, or a malformed version; errors name each field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "404", description = "No such version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "409", description = "Already in that stage, or in production (promote another or roll back)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "422", description = "The version does not fit this service's features",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PostMapping(path = "/models/{version}/stage", consumes = MediaType.APPLICATION_JSON_VALUE)
    StageChangeResponse changeStage(@PathVariable String version, @RequestBody(required = false) byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        Integer number = versionNumber(version, errors);
        StageRequest request = read(body, StageRequest.class);
        ModelStage stage = stage(request.stage(), errors);
        String reason = reason(request.reason(), errors);
        if (!errors.isEmpty()) {
            throw RolloutRequestException.invalid(errors);
        }
        ModelVersion before = rollout.version(number).orElseThrow(() -> RolloutRequestException.unknownVersion(version,
                        "model " + rollout.modelName() + " has no version " + number));
        ModelVersion after;
        try {
            after = rollout.changeStage(number, stage, reason);
        } catch (NoSuchElementException e) {
            throw RolloutRequestException.unknownVersion(version, e.getMessage());
        } catch (ModelRollout.IncompatibleModelException e) {
            throw RolloutRequestException.incompatible(e.getMessage());
        } catch (IllegalStateException e) {
            throw RolloutRequestException.conflict(e.getMessage(), List.of(new FieldError("stage", e.getMessage())));
        }
        return new StageChangeResponse(after.reference(), after.stage().name(), before.stage().name(), serving());
    }

    @Operation(summary = "Roll production back to the version the current one replaced",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = RollbackRequest.class))))
    @ApiResponse(responseCode = "200", description = "The versions before and after, and what serves now",
            content = @Content(schema = @Schema(implementation = RollbackResponse.class)))
    @ApiResponse(responseCode = "400", description = "No reason given",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "409", description = "Nothing to roll back to",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @PostMapping(path = "/models/rollback", consumes = MediaType.APPLICATION_JSON_VALUE)
    RollbackResponse rollback(@RequestBody(required = false) byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        String reason = reason(read(body, RollbackRequest.class).reason(), errors);
        if (!errors.isEmpty()) {
            throw RolloutRequestException.invalid(errors);
        }
        ModelRolledBack rolledBack;
        try {
            rolledBack = rollout.rollback(reason);
        } catch (IllegalStateException | NoSuchElementException e) {
            throw RolloutRequestException.conflict(e.getMessage(), List.of());
        }
        String name = rolledBack.modelName();
        return new RollbackResponse(name + ":" + rolledBack.fromVersion(), name + ":" + rolledBack.toVersion(),
                serving());
    }

    @Operation(summary = "An A/B experiment: per-arm counts, decline and review rates, mean risk score, and the "
            + "significance of each treatment arm against the control (two-proportion z-test, Welch's t-test)",
            description = "Counts are this instance's since it started; fraud_experiment_* in Prometheus sums them "
                    + "over instances, and every decision's arm is stored with it (column rollout).")
    @ApiResponse(responseCode = "200", description = "The experiment",
            content = @Content(schema = @Schema(implementation = ExperimentResponse.class)))
    @ApiResponse(responseCode = "404", description = "No experiment of that name is configured",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @GetMapping("/experiments/{name}")
    ExperimentResponse experiment(@PathVariable String name) {
        ModelExperiment definition = outcomes.experiment(name)
                .orElseThrow(() -> RolloutRequestException.unknownExperiment(name));
        ExperimentOutcomes counted = outcomes.outcomes(name).orElseThrow();
        ExperimentReport report = counted.report();
        Experiment experiment = definition.experiment();
        ServingResponse serving = serving();
        List<ArmResponse> arms = new ArrayList<>();
        for (ArmSummary summary : report.arms()) {
            ModelStage stage = definition.stageOf(summary.arm());
            arms.add(new ArmResponse(summary.arm(), experiment.arm(summary.arm()).weight(), stage.name(),
                    stage == ModelStage.CANARY ? serving.canary() : serving.production(), summary.units(),
                    summary.hits().get(ChallengerOutcomes.DECLINE), summary.hits().get(ChallengerOutcomes.REVIEW),
                    finite(summary.rate(ChallengerOutcomes.DECLINE)), finite(summary.rate(ChallengerOutcomes.REVIEW)),
                    finite(summary.values().get(ChallengerOutcomes.RISK_SCORE).mean())));
        }
        List<ComparisonResponse> comparisons = report.comparisons().stream()
                .map(c -> new ComparisonResponse(c.arm(), c.control(),
                        RateTestResponse.of(c.rates().get(ChallengerOutcomes.DECLINE)),
                        RateTestResponse.of(c.rates().get(ChallengerOutcomes.REVIEW)),
                        MeanTestResponse.of(c.means().get(ChallengerOutcomes.RISK_SCORE))))
                .toList();
        boolean active = routing.activeExperiment().map(running -> running.name().equals(name)).orElse(false);
        return new ExperimentResponse(name, active, experiment.start(), experiment.stop(), experiment.salt(), ALPHA,
                arms, comparisons);
    }

    private ServingResponse serving() {
        return new ServingResponse(production.version(), rollout.canary().version(), rollout.shadow().version());
    }

    private static VersionResponse describe(ModelVersion version, ServingResponse serving) {
        String reference = version.reference();
        String servingAs = reference.equals(serving.production()) ? ModelStage.PRODUCTION.name()
                : reference.equals(serving.canary()) ? ModelStage.CANARY.name()
                : reference.equals(serving.shadow()) ? ModelStage.SHADOW.name() : null;
        return new VersionResponse(reference, version.version(), version.stage().name(), servingAs, version.metrics(),
                version.lineage().trainingDataId(), version.registeredAt(), version.stageChangedAt());
    }

    /** {@code 7} or {@code fraud-gbdt:7}; null (with an error) for anything else. */
    private Integer versionNumber(String version, List<FieldError> errors) {
        String number = version;
        String prefix = rollout.modelName() + ":";
        if (version.startsWith(prefix)) {
            number = version.substring(prefix.length());
        }
        if (number.matches("[1-9][0-9]{0,8}")) {
            return Integer.parseInt(number);
        }
        errors.add(new FieldError("version", "must be a version number such as 7 or " + prefix + "7, got '"
                + abbreviate(version) + "'"));
        return null;
    }

    private static ModelStage stage(String stage, List<FieldError> errors) {
        if (stage == null || stage.isBlank()) {
            errors.add(new FieldError("stage", "is required: " + STAGES));
            return null;
        }
        try {
            ModelStage parsed = ModelStage.valueOf(stage.trim().toUpperCase(Locale.ROOT));
            if (SETTABLE.contains(parsed)) {
                return parsed;
            }
        } catch (IllegalArgumentException unknown) {
            // Reported below with the stages that are accepted.
        }
        errors.add(new FieldError("stage", "must be " + STAGES + ", got '" + abbreviate(stage) + "'"));
        return null;
    }

    private static String reason(String reason, List<FieldError> errors) {
        if (reason == null || reason.isBlank()) {
            errors.add(new FieldError("reason", "is required: why, as the registry's history will keep it"));
            return null;
        }
        if (reason.length() > MAX_REASON) {
            errors.add(new FieldError("reason", "must be at most " + MAX_REASON + " characters"));
            return null;
        }
        return reason.strip();
    }

    private static <T> T read(byte[] body, Class<T> type) {
        return JsonInput.read(body, type, RolloutRequestException::invalid);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }

    /** JSON has no NaN: an undefined statistic is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
