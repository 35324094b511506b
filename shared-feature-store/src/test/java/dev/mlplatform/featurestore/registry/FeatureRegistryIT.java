package dev.mlplatform.featurestore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.TestStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeatureRegistryIT {

    private final FeatureRegistry registry = new FeatureRegistry(TestStores.dataSource());
    private final Entity entity = new Entity(TestStores.uniqueName("card"), "card_token", "a card");
    private final String name = TestStores.uniqueName("velocity");
    private final FeatureView v1 = new FeatureView(name, 1, entity,
            List.of(new Feature("count", ValueType.LONG, "how many"), new Feature("amount", ValueType.DOUBLE, "sum")),
            Duration.ofMinutes(5), "fraud-team", "first");
    private final FeatureView v2 = new FeatureView(name, 2, entity,
            List.of(new Feature("count", ValueType.LONG, "how many"), new Feature("amount", ValueType.DOUBLE, "sum"),
                    new Feature("country", ValueType.STRING, "last country")),
            Duration.ofMinutes(5), "fraud-team", "second");

    @AfterEach
    void forgetViews() {
        TestStores.forget(v1, v2);
    }

    @Test
    void persistsTheDefinitionSoThatAnotherProcessCanReadIt() {
        registry.register(v1);

        FeatureRegistry elsewhere = new FeatureRegistry(TestStores.dataSource());
        assertThat(elsewhere.find(v1.id())).contains(v1);
        assertThat(elsewhere.find(name + ":v9")).isEmpty();
        assertThat(elsewhere.all()).contains(v1);
    }

    @Test
    void acceptsTheSameDefinitionAgainAndUpdatesItsMetadata() {
        registry.register(v1);
        FeatureView redescribed = new FeatureView(name, 1, entity, v1.features(), v1.ttl(), "risk-team", "clearer");

        registry.register(v1);
        registry.register(redescribed);

        assertThat(registry.find(v1.id())).contains(redescribed);
    }

    @Test
    void refusesAnotherDefinitionUnderTheSameVersion() {
        registry.register(v1);
        FeatureView changed = new FeatureView(name, 1, entity, v2.features(), v1.ttl(), "fraud-team", "first");

        assertThatThrownBy(() -> registry.register(changed))
                .isInstanceOf(FeatureViewConflictException.class)
                .hasMessageContaining(v1.id()).hasMessageContaining("version 2");
        assertThat(registry.find(v1.id())).contains(v1);
    }

    @Test
    void listsEveryVersionOfAnEntitysViews() {
        registry.register(v2);
        registry.register(v1);

        assertThat(registry.viewsOf(entity.name())).containsExactly(v1, v2);
        assertThat(registry.viewsOf(TestStores.uniqueName("nobody"))).isEmpty();
    }
}
