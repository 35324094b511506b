package dev.mlplatform.featurestore.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void turnsNumbersAndBooleansIntoAMatrixWithAbsentValuesMarked() {
        TrainingSet set = new TrainingSet(List.of("v:v1"), List.of("v__count", "v__novel"),
                List.of(ValueType.LONG, ValueType.BOOLEAN), List.of("amount"), List.of(
                row(1.0, 3L, true),
                row(0.0, null, false)));

        assertThat(set.featureMatrix(Double.NaN)[0]).containsExactly(3.0, 1.0);
        assertThat(set.featureMatrix(Double.NaN)[1][0]).isNaN();
        assertThat(set.featureMatrix(-1)[1]).containsExactly(-1.0, 0.0);
        assertThat(set.labels()).containsExactly(1.0, 0.0);
        assertThat(set.columnNames()).containsExactly("entity_id", "event_timestamp", "label", "amount",
                "v__count", "v__novel");
        assertThat(set.rows().get(0).feature(set, "v__novel")).isEqualTo(true);
    }

    @Test
    void refusesToGuessANumberForAStringFeature() {
        TrainingSet set = new TrainingSet(List.of("v:v1"), List.of("v__country"), List.of(ValueType.STRING),
                List.of(), List.of(row(1.0, "FR")));

        assertThatThrownBy(() -> set.featureMatrix(Double.NaN)).hasMessageContaining("v__country");
    }

    @Test
    void refusesViewsOfDifferentEntitiesOrTwoVersionsOfOneView() {
        Feature count = new Feature("count", ValueType.LONG, "");
        FeatureView card = new FeatureView("velocity", 1, new Entity("card", "card_token", ""), List.of(count),
                Duration.ofHours(1), "", "");
        FeatureView cardV2 = new FeatureView("velocity", 2, card.entity(), List.of(count), Duration.ofHours(1), "", "");
        FeatureView customer = new FeatureView("spend", 1, new Entity("customer", "customer_id", ""),
                List.of(count), Duration.ofHours(1), "", "");
        PointInTimeTrainingSetBuilder builder = new PointInTimeTrainingSetBuilder(null);
        List<LabelledEvent> events = List.of(new LabelledEvent("c1", T, 1));

        assertThatThrownBy(() -> builder.build(events, List.of(card, customer))).hasMessageContaining("share an entity");
        assertThatThrownBy(() -> builder.build(events, List.of(card, cardV2))).hasMessageContaining("twice");
        assertThatThrownBy(() -> builder.build(events, List.of())).hasMessageContaining("at least one");
    }

    private static TrainingSet.Row row(double label, Object... features) {
        return new TrainingSet.Row("c1", T, label, Map.of("amount", 10.0), Arrays.asList(features));
    }
}
