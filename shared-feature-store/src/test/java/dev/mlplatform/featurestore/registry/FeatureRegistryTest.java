package dev.mlplatform.featurestore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.definitions.FraudFeatures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureRegistryTest {

    private static final Entity CARD = new Entity("card", "card_token", "a card");
    private static final FeatureView VIEW = new FeatureView("velocity", 2, CARD,
            List.of(new Feature("count", ValueType.LONG, "how many"), new Feature("amount", ValueType.DOUBLE, "how much")),
            Duration.ofMinutes(5), "fraud-team", "velocity");

    @Test
    void acceptsTheFraudDefinitions() {
        assertThatCode(() -> FeatureRegistry.checkWellFormed(FraudFeatures.CARD_VELOCITY)).doesNotThrowAnyException();
    }

    @Test
    void refusesNamesThatCannotBeKeysOrColumns() {
        assertThatThrownBy(() -> FeatureRegistry.checkWellFormed(withName("Velocity")))
                .hasMessageContaining("view name");
        assertThatThrownBy(() -> FeatureRegistry.checkWellFormed(withFeatures(
                new Feature("tx count", ValueType.LONG, "")))).hasMessageContaining("tx count");
        assertThatThrownBy(() -> FeatureRegistry.checkWellFormed(withFeatures(
                new Feature("@event_time_us", ValueType.LONG, "")))).hasMessageContaining("@event_time_us");
    }

    @Test
    void refusesDuplicateFeaturesAndBadTtls() {
        assertThatThrownBy(() -> FeatureRegistry.checkWellFormed(withFeatures(
                new Feature("count", ValueType.LONG, ""), new Feature("count", ValueType.DOUBLE, ""))))
                .hasMessageContaining("count twice");
        assertThatThrownBy(() -> FeatureRegistry.checkWellFormed(withTtl(Duration.ZERO))).hasMessageContaining("ttl");
        assertThatThrownBy(() -> FeatureRegistry.checkWellFormed(withTtl(Duration.ofNanos(1_500_000))))
                .hasMessageContaining("ttl");
    }

    @Test
    void sameDefinitionIgnoresMetadataButNotMeaning() {
        FeatureView redescribed = new FeatureView("velocity", 2, new Entity("card", "card_token", "other words"),
                List.of(new Feature("count", ValueType.LONG, "n"), new Feature("amount", ValueType.DOUBLE, "sum")),
                Duration.ofMinutes(5), "another-team", "new description");
        assertThat(FeatureRegistry.sameDefinition(VIEW, redescribed)).isTrue();

        assertThat(FeatureRegistry.sameDefinition(VIEW, withTtl(Duration.ofMinutes(6)))).isFalse();
        assertThat(FeatureRegistry.sameDefinition(VIEW, withFeatures(
                new Feature("count", ValueType.DOUBLE, ""), new Feature("amount", ValueType.DOUBLE, "")))).isFalse();
        assertThat(FeatureRegistry.sameDefinition(VIEW, withFeatures(
                new Feature("amount", ValueType.DOUBLE, ""), new Feature("count", ValueType.LONG, "")))).isFalse();
        assertThat(FeatureRegistry.sameDefinition(VIEW, withFeatures(new Feature("count", ValueType.LONG, ""))))
                .isFalse();
        assertThat(FeatureRegistry.sameDefinition(VIEW, new FeatureView("velocity", 2,
                new Entity("customer", "customer_id", ""), VIEW.features(), VIEW.ttl(), "", ""))).isFalse();
    }

    private static FeatureView withName(String name) {
        return new FeatureView(name, 2, CARD, VIEW.features(), VIEW.ttl(), "", "");
    }

    private static FeatureView withFeatures(Feature... features) {
        return new FeatureView("velocity", 2, CARD, List.of(features), VIEW.ttl(), "", "");
    }

    private static FeatureView withTtl(Duration ttl) {
        return new FeatureView("velocity", 2, CARD, VIEW.features(), ttl, "", "");
    }
}
