package dev.mlplatform.fraud.api;

import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.config.FraudProperties;
import dev.mlplatform.fraud.model.ServingModel;
import dev.mlplatform.fraud.rules.RuleBook;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the service decides with: the model version in service and the rules in force. */
@RestController
@RequestMapping(path = "/api/fraud/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class ModelController {

    /** The serving model as the registry describes it. */
    record ModelResponse(String version, String stage, Map<String, Double> metrics, String trainingDataId,
                         List<String> featureViews, String codeVersion, Instant registeredAt) {
    }

    /** A rule in force. */
    record RuleResponse(String name, String type, String action) {
    }

    private final ServingModel serving;
    private final ModelRegistry registry;
    private final RuleBook rules;
    private final String modelName;

    ModelController(ServingModel serving, ModelRegistry registry, RuleBook rules, FraudProperties properties) {
        this.serving = serving;
        this.registry = registry;
        this.rules = rules;
        this.modelName = properties.model().name();
    }

    @Operation(summary = "The model version in service, with its held-out metrics and lineage")
    @GetMapping("/model")
    ModelResponse model() {
        String version = serving.version();
        if (version == null) {
            throw new ModelUnavailableException("no fraud model is loaded yet");
        }
        int number = Integer.parseInt(version.substring(version.lastIndexOf(':') + 1));
        ModelVersion described = registry.version(modelName, number)
                .orElseThrow(() -> new ModelUnavailableException("model " + version + " is no longer in the registry"));
        return new ModelResponse(described.reference(), described.stage().name(), described.metrics(),
                described.lineage().trainingDataId(),
                described.lineage().featureViews().stream().map(view -> view.name() + ":v" + view.version()).toList(),
                described.lineage().codeVersion(), described.registeredAt());
    }

    @Operation(summary = "The rules in force (rows of fraud.rules, reread periodically)")
    @GetMapping("/rules")
    List<RuleResponse> rules() {
        return rules.current().rules().stream()
                .map(rule -> new RuleResponse(rule.name(), rule.type().name(), rule.action().name()))
                .toList();
    }
}
