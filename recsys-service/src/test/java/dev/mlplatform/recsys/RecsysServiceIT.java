package dev.mlplatform.recsys;

import static dev.mlplatform.recsys.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.recsys.model.ItemNeighbours;
import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.model.UserTower;
import dev.mlplatform.recsys.retrieval.TwoTowerRetrieval;
import dev.mlplatform.recsys.serving.ProductionModel;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import tools.jackson.databind.JsonNode;

/**
 * The service end to end against the real Postgres and Redis and an in-JVM Kafka broker: the catalogue, lists
 * built from what the batch and the feature job leave in the online store, the real-time adjustment from a model
 * in the registry, cold start with onboarding, interactions published once, and clicks credited to an experiment
 * arm. Every id carries the run's prefix, so runs never see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RecsysServiceEnvironment.class)
class RecsysServiceIT {

    private static final String RUN = "it" + Long.toHexString(System.nanoTime());
    private static final String INTERACTIONS = "recsys.interactions.v1";

    @LocalServerPort
    int port;
    @Autowired
    FeatureStore store;
    @Autowired
    ModelRegistry registry;
    @Autowired
    ProductionModel<ItemNeighbours> neighbourModel;
    @Autowired
    ProductionModel<TwoTowerRetrieval> retrievalModel;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private ServiceClient service;

    @BeforeEach
    void catalogue() throws Exception {
        service = new ServiceClient(port);
        for (String[] item : new String[][] {{"a", "drama"}, {"b", "drama"}, {"c", "comedy"}, {"d", "comedy"},
                {"e", "action"}, {"f", "comedy"}}) {
            service.putItem(id(item[0]), "Film " + item[0], item[1]);
        }
    }

    @Test
    void aKnownUsersListBlendsTheBatchCandidatesWithTheLastMinutesAndSaysWhy() throws Exception {
        registerNeighbours(Map.of(id("c"), List.of(new ItemNeighbours.Neighbour(id("d"), 0.9f))));
        String user = id("known");
        store.write(RecsysFeatures.USER_CANDIDATES, List.of(new FeatureRow(user, Instant.now(), Map.of(
                "items", id("a") + ":0.9," + id("b") + ":0.6," + id("c") + ":0.3",
                "model", "recs-ease:1", "computed_at", Instant.now().toEpochMilli()))));
        store.write(RecsysFeatures.USER_RECENT, List.of(new FeatureRow(user, Instant.now(), Map.of(
                "recent_items", id("c") + ":1", "interactions_1h", 1L, "last_region", "FR",
                "last_interaction_at", Instant.now().toEpochMilli()))));

        JsonNode list = json(service.get("/api/recs/v1/users/" + user + "/recommendations?k=5"), 200);

        List<String> items = new ArrayList<>();
        list.get("items").forEach(item -> items.add(item.get("itemId").asString()));
        assertThat(items).contains(id("a"), id("b"), id("d")).doesNotContain(id("c"));
        assertThat(list.get("items").get(0).get("itemId").asString()).isEqualTo(id("a"));
        JsonNode d = findItem(list, id("d"));
        assertThat(d.get("source").asString()).isEqualTo("recent");
        assertThat(d.get("reason").asString()).isEqualTo("because you watched Film c");
        assertThat(list.get("modelVersions").toString()).contains("recs-ease:1", RecsysServiceEnvironment.MODEL + ":");
        assertThat(list.get("experiment").asString()).isEqualTo(RecsysServiceEnvironment.EXPERIMENT);
        assertThat(list.get("arm").asString()).isIn("control", "no-mmr");
        assertThat(list.get("coldStart").asBoolean()).isFalse();
    }

    @Test
    void theTwoTowerModelInProductionRetrievesWhatIsNearTheLatestInteractionFromTheCatalogue() throws Exception {
        // Items of their own, so that no other test's history has a vector.
        for (String item : List.of("r1", "r2", "r3")) {
            service.putItem(id(item), "Film " + item, "documentary");
        }
        ItemVectors vectors = new ItemVectors(List.of(id("r1"), id("r2"), id("r3")),
                new float[][] {{1, 0}, {0.9f, 0.2f}, {-1, 0.1f}});
        // No hidden effect: a user's vector is the mean of their history's item vectors.
        UserTower meanOfHistory = new UserTower(2, 1, new float[2], new float[1], new float[2], new float[2]);
        ByteArrayOutputStream artifact = new ByteArrayOutputStream();
        new TwoTowerModel(vectors, meanOfHistory).write(artifact);
        register(RecsysServiceEnvironment.RETRIEVAL_MODEL, ModelFormat.TWO_TOWER, artifact.toByteArray());
        assertThat(retrievalModel.refresh()).isTrue();
        String user = id("retrieved");
        store.write(RecsysFeatures.USER_RECENT, List.of(new FeatureRow(user, Instant.now(), Map.of(
                "recent_items", id("r1") + ":1", "interactions_1h", 1L, "last_region", "FR",
                "last_interaction_at", Instant.now().toEpochMilli()))));

        JsonNode list = json(service.get("/api/recs/v1/users/" + user + "/recommendations?k=5"), 200);

        JsonNode near = findItem(list, id("r2"));
        assertThat(near.get("source").asString()).isEqualTo("embedding");
        assertThat(near.get("reason").asString()).isEqualTo("similar to Film r1");
        assertThat(list.get("modelVersions").toString()).contains(RecsysServiceEnvironment.RETRIEVAL_MODEL + ":");
    }

    @Test
    void anUnknownUserIsAColdStartAndOnboardingChangesTheirNextList() throws Exception {
        String user = id("new");
        store.write(RecsysFeatures.TRENDING, List.of(new FeatureRow(RecsysFeatures.categorySegment("comedy-" + RUN),
                Instant.now(), Map.of("top_items", id("f") + ":4", "interactions", 4L,
                "window_end", Instant.now().toEpochMilli()))));
        JsonNode before = json(service.get("/api/recs/v1/users/" + user + "/recommendations"), 200);
        assertThat(before.get("coldStart").asBoolean()).isTrue();

        // A genre of this run's own, so that only this test's trending list can match it.
        HttpResponse<String> stated = service.put("/api/recs/v1/users/" + user + "/preferences",
                "{\"genres\": [\"comedy-" + RUN + "\"], \"region\": \"FR\"}");
        assertThat(stated.statusCode()).as(stated.body()).isEqualTo(200);
        service.putItem(id("f"), "Film f", "comedy-" + RUN);
        JsonNode after = json(service.get("/api/recs/v1/users/" + user + "/recommendations"), 200);

        assertThat(after.get("coldStart").asBoolean()).isTrue();
        assertThat(findItem(after, id("f")).get("reason").asString()).isEqualTo("because you like comedy-" + RUN);
    }

    @Test
    void erasingAUserRemovesEveryViewOfThemAndTheirNextListIsAColdStart() throws Exception {
        String user = id("erased");
        store.write(RecsysFeatures.USER_CANDIDATES, List.of(new FeatureRow(user, Instant.now(), Map.of(
                "items", id("a") + ":0.9", "model", "recs-ease:1", "computed_at", Instant.now().toEpochMilli()))));
        assertThat(service.put("/api/recs/v1/users/" + user + "/preferences", "{\"genres\": [\"drama\"]}").statusCode())
                .isEqualTo(200);

        HttpResponse<String> erased = service.delete("/api/recs/v1/users/" + user);

        JsonNode report = json(erased, 200);
        assertThat(report.get("onlineViewsRemoved").toString()).contains("user_candidates:v1", "user_preferences:v1");
        assertThat(report.get("offlineRowsRemoved").get("user_preferences:v1").asLong()).isEqualTo(1);
        assertThat(json(service.get("/api/recs/v1/users/" + user + "/recommendations"), 200).get("coldStart").asBoolean())
                .isTrue();
    }

    @Test
    void badParametersAreProblemsNamingTheField() throws Exception {
        for (String query : List.of("k=0", "k=101", "k=ten", "diversity=2", "region=france")) {
            HttpResponse<String> response = service.get("/api/recs/v1/users/" + id("u") + "/recommendations?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json(response, 400).get("errors").get(0).get("field").asString())
                    .isEqualTo(query.substring(0, query.indexOf('=')));
        }
        assertThat(service.get("/api/recs/v1/items/" + id("missing")).statusCode()).isEqualTo(404);
    }

    @Test
    void anInteractionIsPublishedOnceHoweverOftenItIsSent() throws Exception {
        String event = interaction(id("e1"), id("viewer"), id("a"));

        assertThat(json(service.post("/api/recs/v1/interactions", event), 202).get("status").asString()).isEqualTo("accepted");
        assertThat(json(service.post("/api/recs/v1/interactions", event), 202).get("status").asString())
                .isEqualTo("already-accepted");
        HttpResponse<String> conflict = service.post("/api/recs/v1/interactions", interaction(id("e1"), id("viewer"), id("b")));
        assertThat(conflict.statusCode()).isEqualTo(409);

        assertThat(recordsOf(id("e1"), 2, Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    void anInteractionWithAnUnknownItemOrABadFieldPublishesNothing() throws Exception {
        HttpResponse<String> unknown = service.post("/api/recs/v1/interactions", interaction(id("e2"), id("viewer"),
                id("nope")));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("itemId", "is not in the catalogue");

        HttpResponse<String> badRating = service.post("/api/recs/v1/interactions", """
                {"eventId": "%s", "userId": "%s", "itemId": "%s", "type": "rating", "rating": 7,
                 "timestamp": "%s"}""".formatted(id("e3"), id("viewer"), id("a"), Instant.now()));
        assertThat(badRating.statusCode()).isEqualTo(400);
        assertThat(badRating.body()).contains("\"field\":\"rating\"");

        HttpResponse<String> unknownField = service.post("/api/recs/v1/interactions", "{\"eventId\": \"x\", \"colour\": 1}");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.body()).contains("\"field\":\"colour\"", "is not a known field");

        assertThat(recordsOf(id("e2"), 1, Duration.ofSeconds(3))).isEmpty();
        assertThat(recordsOf(id("e3"), 1, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aClickOnAListItemIsCreditedToTheUsersArmOnceTheWindowCloses() throws Exception {
        RecsysServiceEnvironment.awaitFeedbackConsumer(listeners);
        String user = id("clicker");
        store.write(RecsysFeatures.USER_CANDIDATES, List.of(new FeatureRow(user, Instant.now(), Map.of(
                "items", id("a") + ":0.9," + id("e") + ":0.5", "model", "recs-ease:1",
                "computed_at", Instant.now().toEpochMilli()))));
        JsonNode list = json(service.get("/api/recs/v1/users/" + user + "/recommendations?k=2"), 200);
        String arm = list.get("arm").asString();
        long unitsBefore = units(arm);

        json(service.post("/api/recs/v1/interactions", """
                {"eventId": "%s", "userId": "%s", "itemId": "%s", "type": "watch", "watchSeconds": 600,
                 "timestamp": "%s"}""".formatted(id("w1"), user, id("e"), Instant.now())), 202);

        JsonNode armReport = awaitArm(arm, unitsBefore + 1, Duration.ofSeconds(30));
        assertThat(armReport.get("hits").get("click").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(armReport.get("values").get("watch_seconds").get("sum").asDouble()).isGreaterThanOrEqualTo(600);
    }

    private long units(String arm) throws Exception {
        JsonNode report = json(service.get("/api/recs/v1/experiments/" + RecsysServiceEnvironment.EXPERIMENT), 200);
        for (JsonNode node : report.get("arms")) {
            if (node.get("arm").asString().equals(arm)) {
                return node.get("units").asLong();
            }
        }
        throw new AssertionError("no arm " + arm + " in " + report);
    }

    private JsonNode awaitArm(String arm, long units, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode report = json(service.get("/api/recs/v1/experiments/" + RecsysServiceEnvironment.EXPERIMENT), 200);
            for (JsonNode node : report.get("arms")) {
                if (node.get("arm").asString().equals(arm) && node.get("units").asLong() >= units
                        && node.get("hits").get("click").asLong() >= 1) {
                    return node;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("arm " + arm + " never reached " + units + " units with a click");
    }

    private void registerNeighbours(Map<String, List<ItemNeighbours.Neighbour>> map) throws Exception {
        ByteArrayOutputStream artifact = new ByteArrayOutputStream();
        new ItemNeighbours(map).write(artifact);
        register(RecsysServiceEnvironment.MODEL, ModelFormat.ITEM_NEIGHBOURS, artifact.toByteArray());
        assertThat(neighbourModel.refresh()).isTrue();
    }

    private void register(String model, ModelFormat format, byte[] artifact) {
        ModelVersion version = registry.register(new ModelRegistration(model, format, Map.of("ndcg_at_10", 0.4),
                new Lineage("it", null, List.of(), "test", Map.of())), artifact);
        registry.promote(model, version.version(), "integration test");
    }

    private static JsonNode findItem(JsonNode list, String itemId) {
        for (JsonNode item : list.get("items")) {
            if (item.get("itemId").asString().equals(itemId)) {
                return item;
            }
        }
        throw new AssertionError(itemId + " not in " + list);
    }

    private static String interaction(String eventId, String user, String item) {
        return """
                {"eventId": "%s", "userId": "%s", "itemId": "%s", "type": "view", "region": "FR",
                 "timestamp": "2026-11-01T10:00:00Z"}""".formatted(eventId, user, item);
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String eventId, int atMost, Duration timeout) {
        Map<String, Object> config = new HashMap<>(RecsysServiceEnvironment.kafka().clientProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> matching = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(INTERACTIONS, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (matching.size() <= atMost && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().contains("\"" + eventId + "\"")) {
                        matching.add(record);
                    }
                }
            }
        }
        return matching;
    }

    private static String id(String name) {
        return RUN + "-" + name;
    }
}
