package dev.mlplatform.bench;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.featurestore.definitions.RankedItems;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.simulators.recsys.CatalogueUploader;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * {@code ./platform bench recs-load}: a synthetic catalogue and population from the project's generator, loaded into
 * the running platform for {@code bench recs} to measure recommendations at scale:
 * <ul>
 *   <li>the catalogue through the gateway's {@code PUT}, as any client adds items;</li>
 *   <li>per user, {@code user_recent:v1} from their latest simulated interactions, as the Flink job keeps it;</li>
 *   <li>per user, {@code user_candidates:v1}: the generator's oracle lists ({@link OracleCandidates}) standing in for
 *       the nightly Spark job's, which at this scale is a cluster job. The latency of serving does not depend on
 *       which model made the lists: it reads one list of the same form either way;</li>
 *   <li>the retrieval model {@code recs-two-tower}, from the generator's structure too ({@link
 *       GeneratorRetrievalModel}), in the registry: the service's HNSW search covers the whole catalogue.</li>
 * </ul>
 * Online only, through the feature store's pipelined batch writes. Ids carry {@value #ID_PREFIX}, so that the demo's
 * catalogue and users are never overwritten.
 */
final class RecsLoad {

    static final String ID_PREFIX = "s-";
    /** The {@code model} of the candidate rows: says in every response that the lists are the generator's. */
    static final String ORACLE_MODEL = "generator-oracle:1";
    static final String ORACLE_NOTE = "candidates are the generator's oracle lists (each user's top items by the "
            + "generator's own weights, history excluded), standing in for the nightly Spark job's, which at this scale "
            + "is a cluster job; the serving latency does not depend on which model made the lists";
    /** 50 interactions a user on average (50 million for a million users), at least 20, MovieLens 100K's taste. */
    static final int MEAN_PER_USER = 50;
    static final int MIN_PER_USER = 20;
    static final double TASTE_WEIGHT = 30.0;
    private static final int CONCURRENT_PUTS = 16;
    private static final int PUT_CHUNK = 10_000;
    /** Users per Redis round trip: one dispatch of their two rows each, the replies awaited together. */
    private static final int WRITE_BATCH = 1_000;
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(60);
    private static final long HOUR_SECONDS = 3600;
    private static final Pattern USED_MEMORY = Pattern.compile("(?m)^used_memory:(\\d+)");
    /**
     * Each star rating's strength as {@link RankedItems} writes it, made once: formatting 50 million strengths one
     * by one ({@code String.format}) would take minutes.
     */
    private static final String[] STRENGTH_TEXT_BY_STARS = IntStream.rangeClosed(0, 5)
            .mapToObj(stars -> stars == 0 ? null
                    : new RankedItems(List.of(new RankedItems.Entry("", strength(stars)))).encode().substring(1))
            .toArray(String[]::new);

    /**
     * @param candidates each user's oracle list length
     */
    record Config(int users, int items, int candidates, long seed) {

        InteractionSimulator.Config simulation() {
            return new InteractionSimulator.Config(users, items, MEAN_PER_USER, MIN_PER_USER, TASTE_WEIGHT, seed);
        }
    }

    /**
     * What was loaded and how long each stage took.
     *
     * @param putSeconds       the catalogue's PUTs through the gateway
     * @param usersSeconds     simulating the users, their oracle lists and writing both rows each, overlapped
     * @param redisWaitSeconds of {@code usersSeconds}, waiting for Redis to take the previous batch
     * @param rowsApplied      rows Redis applied (a row meets a newer stored one only when another writer is faster)
     */
    record Result(int items, int users, long interactions, double catalogueSeconds, double putSeconds,
                  double usersSeconds, double redisWaitSeconds, long rowsApplied, long redisBytesBefore,
                  long redisBytesAfter) {

        double itemsPutPerSecond() {
            return items / putSeconds;
        }

        double usersPerSecond() {
            return users / usersSeconds;
        }

        long redisBytesPerUser() {
            return (redisBytesAfter - redisBytesBefore) / users;
        }
    }

    private final Platform platform;
    private final String redisUri;
    private final ModelRegistry registry;
    private final Config config;
    private final PrintStream progress;
    private final Clock clock;

    RecsLoad(Platform platform, String redisUri, ModelRegistry registry, Config config, PrintStream progress,
             Clock clock) {
        this.platform = platform;
        this.redisUri = redisUri;
        this.registry = registry;
        this.config = config;
        this.progress = progress;
        this.clock = clock;
    }

    /** The Redis of the platform: {@code REDIS_HOST} and {@code REDIS_PORT}, as {@code ./platform up} reads them. */
    static String redisUri(Map<String, String> env) {
        return "redis://" + env.getOrDefault("REDIS_HOST", "127.0.0.1") + ":" + env.getOrDefault("REDIS_PORT", "6379")
                + "/0";
    }

    /** The platform's id of the simulator's user {@code index}. */
    static String userId(int index) {
        return ID_PREFIX + (index + 1);
    }

    /** The platform's id of the simulator's item {@code index}. */
    static String itemId(int index) {
        return ID_PREFIX + (index + 1);
    }

    Result run() throws InterruptedException {
        progress.printf("recs-load: %,d users x %,d items, %,d candidates each, seed %d, through %s and %s%n",
                config.users(), config.items(), config.candidates(), config.seed(), platform.gateway(), redisUri);
        progress.printf("  note        %s%n", ORACLE_NOTE);
        Instant now = clock.instant();
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> redis = client.connect();
             RedisOnlineStore store = RedisOnlineStore.connect(redisUri, REDIS_TIMEOUT)) {
            long before = usedMemory(redis);
            progress.printf("  redis       used_memory %s before%n", bytes(before));

            long t = System.nanoTime();
            InteractionSimulator simulator = new InteractionSimulator(config.simulation());
            double catalogueSeconds = seconds(t);
            progress.printf("  catalogue   %,d items generated in %.1f s%n", config.items(), catalogueSeconds);

            t = System.nanoTime();
            putCatalogue(simulator.items(), now);
            double putSeconds = seconds(t);
            progress.printf("  catalogue   %,d items put through the gateway in %.1f s (%,.0f items/s)%n",
                    config.items(), putSeconds, config.items() / putSeconds);

            t = System.nanoTime();
            long[] interactions = {0};
            double redisWaitSeconds;
            long applied;
            try (BatchWriter writer = new BatchWriter(store)) {
                writeUsers(simulator, now, writer, interactions, t);
                writer.finish();
                redisWaitSeconds = writer.waitedNanos / 1e9;
                applied = writer.applied;
            }
            double usersSeconds = seconds(t);
            progress.printf("  users       %,d users, %,d interactions: %s and %s written in %.1f s (%,.0f users/s; "
                            + "%.1f s of it waiting for Redis)%n", config.users(), interactions[0],
                    RecsysFeatures.USER_RECENT.id(), RecsysFeatures.USER_CANDIDATES.id(), usersSeconds,
                    config.users() / usersSeconds, redisWaitSeconds);

            t = System.nanoTime();
            ModelVersion retrieval = GeneratorRetrievalModel.register(registry, GeneratorRetrievalModel.of(simulator),
                    config.seed());
            progress.printf("  retrieval   %s registered and promoted in %.1f s: the generator's item vectors; "
                    + "recsys-service indexes them in HNSW at its next model refresh (a minute)%n", retrieval.reference(),
                    seconds(t));

            long after = usedMemory(redis);
            progress.printf("  redis       used_memory %s after: +%s, %,d bytes a user%n", bytes(after),
                    bytes(after - before), (after - before) / config.users());
            return new Result(config.items(), config.users(), interactions[0], catalogueSeconds, putSeconds,
                    usersSeconds, redisWaitSeconds, applied, before, after);
        } finally {
            client.shutdown();
        }
    }

    private void putCatalogue(List<InteractionSimulator.Item> items, Instant now) throws InterruptedException {
        // A month old: none is new, so the bandit keeps exploring the demo's new items only.
        Instant published = now.minus(Duration.ofDays(30));
        CatalogueUploader uploader = new CatalogueUploader(platform.gateway().toString(),
                Map.of("X-API-Key", platform.apiKey()), CONCURRENT_PUTS);
        long t = System.nanoTime();
        for (int from = 0; from < items.size(); from += PUT_CHUNK) {
            List<CatalogueItem> chunk = new ArrayList<>(PUT_CHUNK);
            for (InteractionSimulator.Item item : items.subList(from, Math.min(items.size(), from + PUT_CHUNK))) {
                chunk.add(CatalogueUploader.catalogueItem(item, itemId(item.index()), published));
            }
            uploader.put(chunk);
            int done = from + chunk.size();
            progress.printf("  catalogue   %,d / %,d items put (%,.0f items/s)%n", done, items.size(),
                    done / seconds(t));
        }
    }

    private void writeUsers(InteractionSimulator simulator, Instant now, BatchWriter writer, long[] interactions,
                            long start) {
        OracleCandidates oracle = new OracleCandidates(simulator);
        List<FeatureRow> recent = new ArrayList<>(WRITE_BATCH);
        List<FeatureRow> candidates = new ArrayList<>(WRITE_BATCH);
        int progressEvery = Math.max(1, config.users() / 10);
        simulator.forEachUser(user -> {
            recent.add(recentRow(user, now));
            candidates.add(candidatesRow(userId(user.index()), oracle.of(user, config.candidates()), now));
            interactions[0] += user.interactions().size();
            if (recent.size() == WRITE_BATCH || user.index() == config.users() - 1) {
                writer.write(List.copyOf(recent), List.copyOf(candidates));
                recent.clear();
                candidates.clear();
            }
            if ((user.index() + 1) % progressEvery == 0) {
                progress.printf("  users       %,d / %,d (%,.0f users/s)%n", user.index() + 1, config.users(),
                        (user.index() + 1) / seconds(start));
            }
        });
    }

    /**
     * The user's {@code user_recent:v1} as the Flink job keeps it: the latest {@value RecsysFeatures#RECENT_ITEMS}
     * items newest first with each rating's strength, the interactions of the hour up to the latest, the region;
     * the simulated period moved so that it ends at {@code now}.
     */
    static FeatureRow recentRow(InteractionSimulator.User user, Instant now) {
        List<InteractionSimulator.Interaction> newestFirst = user.interactions().stream()
                .sorted(Comparator.comparingLong(InteractionSimulator.Interaction::epochSecond).reversed()
                        .thenComparing(interaction -> itemId(interaction.item())))
                .toList();
        long latest = newestFirst.get(0).epochSecond();
        StringBuilder recentItems = new StringBuilder(RecsysFeatures.RECENT_ITEMS * 12);
        for (InteractionSimulator.Interaction interaction
                : newestFirst.subList(0, Math.min(RecsysFeatures.RECENT_ITEMS, newestFirst.size()))) {
            if (!recentItems.isEmpty()) {
                recentItems.append(',');
            }
            recentItems.append(itemId(interaction.item())).append(':').append(STRENGTH_TEXT_BY_STARS[interaction.rating()]);
        }
        long lastHour = newestFirst.stream().filter(i -> i.epochSecond() > latest - HOUR_SECONDS).count();
        Instant latestAt = now.minusSeconds(
                InteractionSimulator.FIRST_TIMESTAMP + InteractionSimulator.TIMESTAMP_SPREAD - latest);
        return new FeatureRow(userId(user.index()), latestAt, Map.of(
                "recent_items", recentItems.toString(),
                "interactions_1h", lastHour,
                "last_region", user.region(),
                "last_interaction_at", latestAt.toEpochMilli()));
    }

    /**
     * The user's {@code user_candidates:v1}: the oracle's items best first, each scored by its weight in millionths,
     * rounded (whole numbers are written without {@code String.format}, which for 100 million scores takes minutes).
     */
    static FeatureRow candidatesRow(String userId, List<OracleCandidates.Candidate> oracle, Instant now) {
        List<RankedItems.Entry> entries = new ArrayList<>(oracle.size());
        for (OracleCandidates.Candidate candidate : oracle) {
            entries.add(new RankedItems.Entry(itemId(candidate.item()), Math.round(candidate.weight() * 1e6)));
        }
        return new FeatureRow(userId, now, Map.of(
                "items", new RankedItems(entries).encode(),
                "model", ORACLE_MODEL,
                "computed_at", now.toEpochMilli()));
    }

    /** The platform's strength of a rating of {@code stars} ({@link InteractionEvent#strength}). */
    static double strength(int stars) {
        return new InteractionEvent(null, null, null, InteractionEvent.RATING, (double) stars, null, null, null, null)
                .strength();
    }

    private static long usedMemory(StatefulRedisConnection<String, String> redis) {
        Matcher used = USED_MEMORY.matcher(redis.sync().info("memory"));
        if (!used.find()) {
            throw new IllegalStateException("Redis INFO memory has no used_memory");
        }
        return Long.parseLong(used.group(1));
    }

    private static String bytes(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.2f GiB", bytes / (double) (1L << 30))
                : String.format("%.1f MiB", bytes / (double) (1L << 20));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Writes each batch's rows on a thread of its own while the caller builds the next: one batch on the wire at a
     * time, so generating and writing overlap and memory stays two batches.
     */
    private static final class BatchWriter implements AutoCloseable {

        private final RedisOnlineStore store;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
            Thread writer = new Thread(task, "recs-load-writer");
            writer.setDaemon(true);
            return writer;
        });
        private Future<Long> inFlight = CompletableFuture.completedFuture(0L);
        private long applied;
        private long waitedNanos;

        BatchWriter(RedisOnlineStore store) {
            this.store = store;
        }

        void write(List<FeatureRow> recent, List<FeatureRow> candidates) {
            finish();
            inFlight = thread.submit(() -> (long) store.writeBatchCountingApplied(RecsysFeatures.USER_RECENT, recent)
                    + store.writeBatchCountingApplied(RecsysFeatures.USER_CANDIDATES, candidates));
        }

        /** Waits for the batch on the wire; its failure is thrown here. */
        void finish() {
            long start = System.nanoTime();
            try {
                applied += inFlight.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to Redis", e);
            }
            inFlight = CompletableFuture.completedFuture(0L);
            waitedNanos += System.nanoTime() - start;
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }
}
