package dev.mlplatform.featurestore.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mlplatform.featurestore.TestStores;
import dev.mlplatform.featurestore.offline.PostgresOfflineStore;
import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRegistry;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.featurestore.registry.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointInTimeTrainingSetBuilderIT {

    private static final Entity CARD = new Entity("card", "card_token", "a card");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final PostgresOfflineStore log = new PostgresOfflineStore(TestStores.dataSource());
    private final PointInTimeTrainingSetBuilder builder = new PointInTimeTrainingSetBuilder(TestStores.dataSource());
    private final FeatureView velocity = TestStores.view("velocity", CARD, Duration.ofMinutes(1),
            new Feature("count", ValueType.LONG, ""), new Feature("amount", ValueType.DOUBLE, ""));
    private final FeatureView profile = TestStores.view("profile", CARD, Duration.ofMinutes(10),
            new Feature("country", ValueType.STRING, ""), new Feature("novel", ValueType.BOOLEAN, ""));

    @BeforeEach
    void registerViews() {
        FeatureRegistry registry = new FeatureRegistry(TestStores.dataSource());
        registry.register(velocity);
        registry.register(profile);
    }

    @AfterEach
    void forgetViews() {
        TestStores.forget(velocity, profile);
    }

    @Test
    void joinsOnlyValuesLoggedStrictlyBeforeEachEventAndWithinTheTtl() {
        log.append(velocity, List.of(
                new FeatureRow("card-1", T0, Map.of("count", 1L, "amount", 10.0)),
                new FeatureRow("card-1", T0.plusSeconds(10), Map.of("count", 2L, "amount", 30.0)),
                new FeatureRow("card-1", T0.plusSeconds(20), Map.of("count", 3L, "amount", 35.0)),
                new FeatureRow("card-2", T0.plusSeconds(10), Map.of("count", 1L, "amount", 99.0))));
        log.append(profile, List.of(new FeatureRow("card-1", T0.minus(Duration.ofMinutes(5)),
                Map.of("country", "FR", "novel", false))));
        Instant lastLogged = T0.plusSeconds(20);
        List<LabelledEvent> events = List.of(
                event("card-1", T0.minusSeconds(1), 0),                       // before anything
                event("card-1", T0, 0),                                       // same instant as a value: not known yet
                event("card-1", T0.plusNanos(500), 0),                        // same microsecond: not known yet
                event("card-1", T0.plusNanos(1_000), 1),                      // one microsecond later: known
                event("card-1", T0.plusSeconds(10), 0),                       // still the first value
                event("card-1", T0.plusSeconds(15), 1),
                event("card-1", lastLogged.plus(Duration.ofMinutes(1)), 0),   // exactly TTL old: still valid
                event("card-1", lastLogged.plus(Duration.ofMinutes(1)).plusNanos(1_000), 1), // TTL passed
                event("card-2", T0.plusSeconds(11), 1),
                event("card-3", T0.plusSeconds(11), 0));                       // never logged

        TrainingSet set = builder.build(events, List.of(velocity, profile));

        assertThat(set.viewIds()).containsExactly(velocity.id(), profile.id());
        assertThat(set.featureColumns()).containsExactly(velocity.name() + "__count", velocity.name() + "__amount",
                profile.name() + "__country", profile.name() + "__novel");
        assertThat(set.extraColumns()).containsExactly("amount", "channel");
        assertThat(set.rows()).extracting(TrainingSet.Row::features).containsExactly(
                Arrays.asList(null, null, "FR", false),
                Arrays.asList(null, null, "FR", false),
                Arrays.asList(null, null, "FR", false),
                Arrays.asList(1L, 10.0, "FR", false),
                Arrays.asList(1L, 10.0, "FR", false),
                Arrays.asList(2L, 30.0, "FR", false),
                Arrays.asList(3L, 35.0, "FR", false),
                Arrays.asList(null, null, "FR", false),
                Arrays.asList(1L, 99.0, null, null),
                Arrays.asList(null, null, null, null));
        assertThat(set.rows()).extracting(TrainingSet.Row::entityId, TrainingSet.Row::timestamp, TrainingSet.Row::label)
                .containsExactlyElementsOf(events.stream()
                        .map(e -> tuple(e.entityId(), e.timestamp(), e.label())).toList());
        assertThat(set.rows().get(5).extras()).isEqualTo(Map.of("amount", 12.5, "channel", "pos"));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void agreesWithABruteForceJoinOnRandomLogs(long seed) {
        Random random = new Random(seed);
        Map<String, List<FeatureRow>> logged = new HashMap<>();
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String entity = "card-" + random.nextInt(12);
            // Whole seconds over ten minutes: collisions with event timestamps are frequent on purpose.
            FeatureRow row = new FeatureRow(entity, T0.plusSeconds(random.nextInt(600)), Map.of("count", (long) i));
            if (logged.computeIfAbsent(entity, e -> new ArrayList<>()).stream()
                    .noneMatch(r -> r.eventTime().equals(row.eventTime()))) {
                logged.get(entity).add(row);
                rows.add(row);
            }
        }
        log.append(velocity, rows);
        List<LabelledEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(event("card-" + random.nextInt(14), T0.plusSeconds(random.nextInt(700)), random.nextInt(2)));
        }

        TrainingSet set = new PointInTimeTrainingSetBuilder(TestStores.dataSource(), 7).build(events, List.of(velocity));

        assertThat(set.rows()).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            LabelledEvent event = events.get(i);
            Object expected = logged.getOrDefault(event.entityId(), List.of()).stream()
                    .filter(r -> r.eventTime().isBefore(event.timestamp()))
                    .filter(r -> !r.eventTime().isBefore(event.timestamp().minus(velocity.ttl())))
                    .max(Comparator.comparing(FeatureRow::eventTime))
                    .map(r -> r.values().get("count")).orElse(null);
            assertThat(set.rows().get(i).features().get(0)).as("event %s", event).isEqualTo(expected);
        }
    }

    @Test
    void buildsAnEmptySetFromNoEvents() {
        TrainingSet set = builder.build(List.of(), List.of(velocity));

        assertThat(set.rows()).isEmpty();
        assertThat(set.featureMatrix(Double.NaN)).isEmpty();
    }

    private static LabelledEvent event(String entityId, Instant timestamp, double label) {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("amount", 12.5);
        extras.put("channel", "pos");
        return new LabelledEvent(entityId, timestamp, label, extras);
    }
}
