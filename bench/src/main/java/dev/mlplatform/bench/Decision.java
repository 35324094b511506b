package dev.mlplatform.bench;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of a fraud decision that the tools print and count, read from the REST answer or from a
 * {@code fraud.decisions.v1} record. Lenient: fields the tools do not know are ignored, so the event
 * can grow without breaking them.
 */
public record Decision(String transactionId, String decision, double riskScore, List<String> reasons,
                       boolean degraded, String modelVersion) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The decision in {@code json}.
     *
     * @throws IllegalArgumentException when it is not JSON or has no {@code transactionId} and {@code decision}
     */
    public static Decision parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        String id = text(node, "transactionId");
        String decision = text(node, "decision");
        if (id == null || decision == null) {
            throw new IllegalArgumentException("no transactionId or decision in " + abbreviate(json));
        }
        List<String> reasons = new ArrayList<>();
        JsonNode list = node.get("reasons");
        if (list != null && list.isArray()) {
            for (JsonNode reason : list) {
                if (reason.isString()) {
                    reasons.add(reason.asString());
                } else if (reason.isObject()) {
                    String code = text(reason, "code");
                    reasons.add(code != null ? code : reason.toString());
                }
            }
        }
        JsonNode score = node.get("riskScore");
        JsonNode degraded = node.get("degraded");
        return new Decision(id, decision, score != null && score.isNumber() ? score.asDouble() : Double.NaN,
                List.copyOf(reasons), degraded != null && degraded.asBoolean(), text(node, "modelVersion"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
