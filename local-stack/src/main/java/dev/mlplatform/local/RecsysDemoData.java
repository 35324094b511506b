package dev.mlplatform.local;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.simulators.recsys.CatalogueUploader;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * On a first start, gives the recommendation system something to recommend: a MovieLens-100K-sized catalogue
 * from the project's simulator, put through recsys-service's API (so it lands in Postgres and on
 * {@code recsys.items.v1} as any client's would), and its users' history published on
 * {@code recsys.interactions.v1}, moved to the last {@link #HISTORY} so that the feature job's windows, the lake's
 * dates and trending are about now. The newest {@link #NEW_ITEMS} items are published in the last days: the bandit's.
 */
final class RecsysDemoData {

    static final long SEED = 42;
    static final Duration HISTORY = Duration.ofDays(14);
    static final int NEW_ITEMS = 20;
    private static final int CONCURRENT_PUTS = 8;

    /** What was loaded. */
    record Loaded(int items, long interactions, int users) {
    }

    private RecsysDemoData() {
    }

    /**
     * Whether this checkout's lake already holds interactions: the demo data is loaded once per checkout (Kafka's log
     * starts empty at every start, the lake does not). Loading again is harmless: the items are upserts, and the
     * history's event ids are the same.
     */
    static boolean present(Path lake) {
        return RecsysNightly.hasParquet(lake.resolve("interactions"));
    }

    static Loaded load(PlatformConfig config, String bootstrapServers, Instant now) throws InterruptedException {
        InteractionSimulator simulator = new InteractionSimulator(InteractionSimulator.Config.movieLens100kSized(SEED));
        List<InteractionSimulator.Item> items = simulator.items();
        putCatalogue(config.recsysServiceUrl(), items, now);
        long interactions = publishHistory(simulator, bootstrapServers, now);
        return new Loaded(items.size(), interactions, simulator.config().users());
    }

    private static void putCatalogue(String serviceUrl, List<InteractionSimulator.Item> items, Instant now)
            throws InterruptedException {
        List<CatalogueItem> catalogue = new ArrayList<>(items.size());
        for (InteractionSimulator.Item item : items) {
            // The last few items are new: published over the last week, so the bandit has something to explore.
            int age = items.size() - 1 - item.index();
            Instant published = age < NEW_ITEMS ? now.minus(Duration.ofHours(8L * age + 1))
                    : now.minus(HISTORY).minus(Duration.ofDays(1 + age % 365));
            catalogue.add(CatalogueUploader.catalogueItem(item, item.id(), published));
        }
        try {
            new CatalogueUploader(serviceUrl, Map.of(), CONCURRENT_PUTS).put(catalogue);
        } catch (CatalogueUploader.UploadException e) {
            throw new LaunchException("recsys-service did not take the demo catalogue: " + e.getMessage(), e);
        }
    }

    /** Each simulated rating as a rating interaction, its time moved into the last {@link #HISTORY}. */
    private static long publishHistory(InteractionSimulator simulator, String bootstrapServers, Instant now) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<InteractionSimulator.Interaction> all = new ArrayList<>();
        simulator.forEachInteraction(all::add);
        for (InteractionSimulator.Interaction interaction : all) {
            first = Math.min(first, interaction.epochSecond());
            last = Math.max(last, interaction.epochSecond());
        }
        double scale = (double) HISTORY.toSeconds() / Math.max(1, last - first);
        Instant start = now.minus(HISTORY);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (InteractionSimulator.Interaction interaction : all) {
                Instant at = start.plusSeconds(Math.round((interaction.epochSecond() - first) * scale));
                InteractionEvent event = new InteractionEvent("demo-" + interaction.userId() + "-" + interaction.itemId(),
                        interaction.userId(), interaction.itemId(), InteractionEvent.RATING,
                        (double) interaction.rating(), null, null, interaction.region(), at);
                producer.send(new ProducerRecord<>("recsys.interactions.v1", event.userId(),
                        EventJson.MAPPER.writeValueAsBytes(event)));
            }
            producer.flush();
        }
        return all.size();
    }
}
