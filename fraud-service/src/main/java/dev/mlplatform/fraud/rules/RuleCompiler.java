package dev.mlplatform.fraud.rules;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Turns a rule row into a {@link Rule}, or says exactly what is wrong with it. */
public final class RuleCompiler {

    private static final Pattern WINDOW = Pattern.compile("(\\d+)([smh])");
    private static final Map<RuleType, Set<String>> PARAMETERS = Map.of(
            RuleType.CARD_BLOCKLIST, Set.of("cardTokens"),
            RuleType.MERCHANT_BLOCKLIST, Set.of("merchantIds"),
            RuleType.AMOUNT_LIMIT, Set.of("maxAmount", "currency"),
            RuleType.VELOCITY_LIMIT, Set.of("window", "maxCount", "maxAmount"));

    private RuleCompiler() {
    }

    /** @throws InvalidRuleException naming the rule and the parameter at fault */
    public static Rule compile(RuleDefinition definition) {
        JsonNode parameters;
        try {
            parameters = EventJson.MAPPER.readTree(definition.parameters());
        } catch (JacksonException e) {
            throw invalid(definition, "parameters are not JSON: " + e.getOriginalMessage());
        }
        if (parameters == null || !parameters.isObject()) {
            throw invalid(definition, "parameters must be a JSON object");
        }
        for (Iterator<String> names = parameters.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!PARAMETERS.get(definition.type()).contains(name)) {
                throw invalid(definition, "unknown parameter '" + name + "' for " + definition.type()
                        + " (known: " + PARAMETERS.get(definition.type()).stream().sorted().toList() + ")");
            }
        }
        return switch (definition.type()) {
            case CARD_BLOCKLIST -> new Rule.CardBlocklist(definition.name(), definition.action(),
                    strings(definition, parameters, "cardTokens"));
            case MERCHANT_BLOCKLIST -> new Rule.MerchantBlocklist(definition.name(), definition.action(),
                    strings(definition, parameters, "merchantIds"));
            case AMOUNT_LIMIT -> new Rule.AmountLimit(definition.name(), definition.action(),
                    positiveDecimal(definition, parameters, "maxAmount"), currency(definition, parameters));
            case VELOCITY_LIMIT -> velocity(definition, parameters);
        };
    }

    private static Rule velocity(RuleDefinition definition, JsonNode parameters) {
        JsonNode window = parameters.get("window");
        if (window == null || !window.isString()) {
            throw invalid(definition, "'window' is required: one of 1m, 5m, 1h");
        }
        Duration duration = window(window.stringValue());
        if (!FraudFeatures.VELOCITY_WINDOWS.contains(duration)) {
            throw invalid(definition, "'window' must be one of 1m, 5m, 1h, got '" + window.stringValue() + "'");
        }
        Long maxCount = null;
        if (parameters.has("maxCount")) {
            JsonNode count = parameters.get("maxCount");
            if (!count.canConvertToLong() || !count.isIntegralNumber() || count.longValue() < 0) {
                throw invalid(definition, "'maxCount' must be a whole number >= 0");
            }
            maxCount = count.longValue();
        }
        Double maxAmount = parameters.has("maxAmount")
                ? positiveDecimal(definition, parameters, "maxAmount").doubleValue() : null;
        if (maxCount == null && maxAmount == null) {
            throw invalid(definition, "needs 'maxCount', 'maxAmount' or both");
        }
        return new Rule.VelocityLimit(definition.name(), definition.action(), duration, maxCount, maxAmount);
    }

    private static Duration window(String text) {
        Matcher m = WINDOW.matcher(text);
        if (!m.matches()) {
            return Duration.ZERO;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Set<String> strings(RuleDefinition definition, JsonNode parameters, String name) {
        JsonNode list = parameters.get(name);
        if (list == null || !list.isArray()) {
            throw invalid(definition, "'" + name + "' must be an array of strings");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode value : list) {
            if (!value.isString() || value.stringValue().isBlank()) {
                throw invalid(definition, "'" + name + "' must hold non-empty strings only");
            }
            values.add(value.stringValue());
        }
        return Set.copyOf(values);
    }

    private static BigDecimal positiveDecimal(RuleDefinition definition, JsonNode parameters, String name) {
        JsonNode value = parameters.get(name);
        if (value == null || !value.isNumber() || value.decimalValue().signum() <= 0) {
            throw invalid(definition, "'" + name + "' must be a number > 0");
        }
        return value.decimalValue();
    }

    private static String currency(RuleDefinition definition, JsonNode parameters) {
        JsonNode value = parameters.get("currency");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || !value.stringValue().matches("[A-Z]{3}")) {
            throw invalid(definition, "'currency' must be an ISO 4217 code such as EUR");
        }
        return value.stringValue();
    }

    private static InvalidRuleException invalid(RuleDefinition definition, String problem) {
        return new InvalidRuleException("rule '" + definition.name() + "' (" + definition.type() + "): " + problem);
    }

    /** A rule row the engine cannot use. */
    public static final class InvalidRuleException extends RuntimeException {
        InvalidRuleException(String message) {
            super(message);
        }
    }
}
