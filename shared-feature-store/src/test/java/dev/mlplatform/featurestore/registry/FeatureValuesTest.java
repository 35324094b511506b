package dev.mlplatform.featurestore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureValuesTest {

    private static final FeatureView VIEW = new FeatureView("typed", 1, new Entity("card", "card_token", "a card"),
            List.of(new Feature("count", ValueType.LONG, ""), new Feature("amount", ValueType.DOUBLE, ""),
                    new Feature("country", ValueType.STRING, ""), new Feature("novel", ValueType.BOOLEAN, "")),
            Duration.ofHours(1), "test", "");
    private static final Instant T = Instant.parse("2026-11-26T10:15:30.123456789Z");

    @Test
    void widensIntegersToLongAndFloatsToDouble() {
        Map<String, Object> checked = FeatureValues.checked(VIEW, new FeatureRow("c1", T,
                Map.of("count", 3, "amount", 2.5f, "country", "FR", "novel", true)));

        assertThat(checked).containsEntry("count", 3L).containsEntry("amount", 2.5d)
                .containsEntry("country", "FR").containsEntry("novel", true);
        assertThat(checked.get("count")).isInstanceOf(Long.class);
        assertThat(checked.get("amount")).isInstanceOf(Double.class);
    }

    @Test
    void refusesAFeatureTheViewDoesNotDeclare() {
        assertThatThrownBy(() -> FeatureValues.checked(VIEW, new FeatureRow("c1", T, Map.of("cuont", 3L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typed:v1").hasMessageContaining("cuont");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertThatThrownBy(() -> FeatureValues.checked(VIEW, new FeatureRow("c1", T, Map.of("count", 2.5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count is LONG");
        assertThatThrownBy(() -> FeatureValues.checked(VIEW, new FeatureRow("c1", T, Map.of("novel", "yes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("novel is BOOLEAN");
    }

    @Test
    void refusesARowWithoutEntityOrEventTime() {
        assertThatThrownBy(() -> FeatureValues.checked(VIEW, new FeatureRow("", T, Map.of())))
                .hasMessageContaining("no entity id");
        assertThatThrownBy(() -> FeatureValues.checked(VIEW, new FeatureRow("c1", null, Map.of())))
                .hasMessageContaining("no event time");
    }

    @Test
    void jsonRoundTripKeepsTypesAndNonFiniteDoubles() {
        for (double amount : new double[] {0.1, -0.0, 1e300, Double.MIN_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Map<String, Object> values = FeatureValues.checked(VIEW, new FeatureRow("c1", T,
                    Map.of("count", Long.MAX_VALUE, "amount", amount, "country", "Ünïcode \"quoted\"", "novel", false)));

            Map<String, Object> back = FeatureValues.fromJson(VIEW, FeatureValues.toJson(values));

            assertThat(back).isEqualTo(values);
            assertThat(back.get("count")).isInstanceOf(Long.class);
            assertThat(back.get("amount")).isInstanceOf(Double.class);
        }
    }

    @Test
    void jsonOfAPartialRowReadsBackWithoutTheAbsentFeatures() {
        Map<String, Object> back = FeatureValues.fromJson(VIEW, "{\"count\":7}");

        assertThat(back).containsExactly(Map.entry("count", 7L));
    }

    @Test
    void textRoundTripIsExactForEveryType() {
        for (Feature feature : VIEW.features()) {
            Object value = switch (feature.type()) {
                case LONG -> Long.MIN_VALUE;
                case DOUBLE -> 0.30000000000000004;
                case STRING -> "a:b{c}";
                case BOOLEAN -> true;
            };
            assertThat(FeatureValues.decode(feature.type(), FeatureValues.encode(value))).isEqualTo(value);
        }
    }

    @Test
    void storesEventTimesTruncatedToMicroseconds() {
        Instant stored = FeatureValues.storedEventTime(T);

        assertThat(stored).isEqualTo(Instant.parse("2026-11-26T10:15:30.123456Z"));
        assertThat(FeatureValues.fromEpochMicros(FeatureValues.epochMicros(stored))).isEqualTo(stored);
        assertThat(FeatureValues.storedEventTime(Instant.parse("1969-12-31T23:59:59.9999995Z")))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }
}
