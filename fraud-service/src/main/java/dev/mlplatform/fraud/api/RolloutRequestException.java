package dev.mlplatform.fraud.api;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * A model-management or experiment request that cannot be carried out, as the problem it becomes:
 * its status, type, title and the fields at fault. Nothing was changed.
 */
final class RolloutRequestException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    private RolloutRequestException(HttpStatus status, String type, String title, String detail,
                                    List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 400: the request names no valid stage, reason or version. */
    static RolloutRequestException invalid(List<FieldError> errors) {
        return new RolloutRequestException(HttpStatus.BAD_REQUEST, "invalid-model-request", "Invalid model request",
                errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")), errors);
    }

    /** 404: no such model version. */
    static RolloutRequestException unknownVersion(String version, String detail) {
        return new RolloutRequestException(HttpStatus.NOT_FOUND, "model-version-not-found", "Model version not found",
                detail, List.of(new FieldError("version", "'" + version + "' is not a version of this model")));
    }

    /** 404: no experiment of that name is configured. */
    static RolloutRequestException unknownExperiment(String name) {
        return new RolloutRequestException(HttpStatus.NOT_FOUND, "experiment-not-found", "Experiment not found",
                "no experiment named '" + name + "' is configured (fraud.experiments)",
                List.of(new FieldError("name", "is not a configured experiment")));
    }

    /** 409: the registry's state does not allow the change (already there, nothing to roll back to, …). */
    static RolloutRequestException conflict(String detail, List<FieldError> errors) {
        return new RolloutRequestException(HttpStatus.CONFLICT, "model-stage-conflict", "Model stage conflict", detail,
                errors);
    }

    /** 422: the version cannot serve this service's features; the registry was left unchanged. */
    static RolloutRequestException incompatible(String detail) {
        return new RolloutRequestException(HttpStatus.UNPROCESSABLE_CONTENT, "incompatible-model", "Incompatible model",
                detail, List.of(new FieldError("version", detail)));
    }

    HttpStatus status() {
        return status;
    }

    String type() {
        return type;
    }

    String title() {
        return title;
    }

    List<FieldError> errors() {
        return errors;
    }
}
