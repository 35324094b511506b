package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.CatalogueItem;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.featurestore.flink.FeatureRowTypeInfo;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.jobs.common.DeadLetter;
import dev.mlplatform.jobs.common.FeatureJob;
import dev.mlplatform.jobs.common.FeatureStoreSinks;
import dev.mlplatform.jobs.common.JobSettings;
import dev.mlplatform.jobs.common.KafkaConnectors;
import dev.mlplatform.jobs.recsys.Trending.SegmentInteraction;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import tools.jackson.core.JacksonException;

/**
 * The recommendation system's fresh features and its data lake, in event time, from every interaction on
 * {@value #INTERACTIONS_TOPIC} and the catalogue on {@value #ITEMS_TOPIC}:
 * <ul>
 *   <li>each user's latest interactions ({@link RecsysFeatures#USER_RECENT}, {@link UserRecentFunction});</li>
 *   <li>the trending items of each segment over the last hour, every 5 minutes ({@link RecsysFeatures#TRENDING},
 *       {@link Trending});</li>
 *   <li>the lake: every valid, first-seen interaction as a Parquet row under
 *       {@code <lake-dir>/interactions/dt=YYYY-MM-DD/} ({@link InteractionLake}), which the Spark jobs read. Its
 *       columns: {@code event_id, user_id, item_id, type, rating, watch_seconds, query, region, category} (text and
 *       numbers as in the event, null where absent; {@code category} the first genre of the item),
 *       {@code event_time} (epoch milliseconds, long) and {@code strength} (double,
 *       {@link InteractionEvent#strength()}); SNAPPY-compressed; {@code dt} the UTC date of {@code event_time}.
 *       Files appear at each checkpoint, exactly once.</li>
 * </ul>
 *
 * <p>Records that are not valid interactions or catalogue items go to {@value #DEAD_LETTER_TOPIC} with the reason
 * (an item's starting "catalogue item"), and never stop the job. Delivery is at least once: an interaction whose
 * {@code eventId} was seen in the last day is dropped ({@link DeduplicateFunction}). Each interaction is joined to
 * the category of its item ({@link ItemCategoryFunction}); one whose item is still unknown after the grace period
 * is dead-lettered as an unknown item; searches without an item skip the join. The catalogue is a table, not
 * events: its stream never holds back the event time ({@link #catalogueWatermarks()}).
 *
 * <pre>
 * interactions ─▶ parse ─▶ event time ─▶ keyBy(event id) ─▶ deduplicate ─┬─▶ with item ─▶ keyBy(item) ─▶ item category ─┬─▶ categorized
 *                  └─▶ dead letters                                      │                                ▲     └─▶ dead letters
 * catalogue ─▶ parse ─▶ keyBy(item) ─────────────────────────────────────┼────────────────────────────────┘
 *               └─▶ dead letters                                         └─▶ without item ─────────────────────────────┴─▶ categorized
 *
 * categorized ─┬─▶ lake (Parquet)
 *              ├─▶ keyBy(user) ─▶ user recent ──────────────────────────────────────▶ user_recent
 *              └─▶ with item ─▶ segments ─▶ keyBy(segment) ─▶ sliding window counts ─▶ trending
 * </pre>
 */
public final class RecsysFeatureJob extends FeatureJob {

    public static final String INTERACTIONS_TOPIC = "recsys.interactions.v1";
    public static final String ITEMS_TOPIC = "recsys.items.v1";
    public static final String DEAD_LETTER_TOPIC = "recsys.interactions.dlq.v1";
    public static final String JOB_NAME = "recsys-features";

    /** The views the job writes. */
    public static final List<FeatureView> VIEWS = RecsysFeatures.STREAMED_VIEWS;

    /** How long an event id is remembered: retries and replays come within minutes, never a day later. */
    static final Duration DEDUPLICATION_MEMORY = Duration.ofDays(1);

    /** Counter of the records sent to the dead-letter topic, for any reason. */
    public static final String DEAD_LETTERED = "deadLettered";
    /** Counter of the interactions dropped as repeats of an event id already seen. */
    public static final String DUPLICATES_DROPPED = "duplicatesDropped";
    /** Counter of the interactions dead-lettered because their item was still not in the catalogue. */
    public static final String UNKNOWN_ITEMS = "unknownItems";
    /** Counter of the interactions handed to the lake. */
    public static final String LAKE_RECORDS = "lakeRecords";
    /** Counter of the interactions the user features applied behind the watermark, after waiting for their item. */
    public static final String LATE_INTERACTIONS_APPLIED = "lateInteractionsApplied";

    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private static final TypeInformation<InteractionEvent> INTERACTION = TypeInformation.of(InteractionEvent.class);
    private static final TypeInformation<CategorizedInteraction> CATEGORIZED =
            TypeInformation.of(CategorizedInteraction.class);

    private final Source<String, ?, ?> interactions;
    private final Source<String, ?, ?> items;
    private final Map<FeatureView, Sink<FeatureRow>> features;
    private final Sink<CategorizedInteraction> lake;
    private final Sink<DeadLetter> deadLetters;
    private final Duration maxOutOfOrderness;
    private final Duration idleTimeout;
    private final Duration unknownItemGrace;

    /**
     * @param interactions      raw interaction records (JSON text, {@link InteractionEvent})
     * @param items             raw catalogue records (JSON text, {@link CatalogueItem})
     * @param features          receives the rows of each view, one sink for each of {@link #VIEWS}
     * @param lake              receives every valid, first-seen interaction with its category
     * @param deadLetters       receives records that are not valid, and interactions with unknown items, with the reason
     * @param maxOutOfOrderness how far behind the latest event time an interaction may arrive and still be on time
     * @param idleTimeout       after this long without records a source split stops holding back the watermark
     * @param unknownItemGrace  how long (processing time) an interaction waits for its item; also how far behind
     *                          the watermark an interaction released by its item still counts in trending
     */
    public RecsysFeatureJob(Source<String, ?, ?> interactions, Source<String, ?, ?> items,
                            Map<FeatureView, ? extends Sink<FeatureRow>> features, Sink<CategorizedInteraction> lake,
                            Sink<DeadLetter> deadLetters, Duration maxOutOfOrderness, Duration idleTimeout,
                            Duration unknownItemGrace) {
        super(JOB_NAME);
        this.interactions = Objects.requireNonNull(interactions, "interactions");
        this.items = Objects.requireNonNull(items, "items");
        if (!Objects.requireNonNull(features, "features").keySet().equals(Set.copyOf(VIEWS))) {
            throw new IllegalArgumentException("features: one sink for each of "
                    + VIEWS.stream().map(FeatureView::id).toList() + ", got sinks for "
                    + features.keySet().stream().map(FeatureView::id).toList());
        }
        this.features = Map.copyOf(features);
        this.lake = Objects.requireNonNull(lake, "lake");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.maxOutOfOrderness = JobSettings.requirePositive(maxOutOfOrderness, "maxOutOfOrderness");
        this.idleTimeout = JobSettings.requirePositive(idleTimeout, "idleTimeout");
        this.unknownItemGrace = JobSettings.requirePositive(unknownItemGrace, "unknownItemGrace");
    }

    /** The production job: Kafka in; the feature store, the lake and Kafka out. */
    public static RecsysFeatureJob fromConfig(Config config) {
        Map<FeatureView, Sink<FeatureRow>> featureStore = new LinkedHashMap<>();
        for (FeatureView view : VIEWS) {
            featureStore.put(view, FeatureStoreSinks.of(view, config.featureStore()));
        }
        // Interactions go on from the group's offsets. The catalogue is read from its beginning on every start
        // without a checkpoint: it is a compacted table, and the join needs all of it, not just what is new.
        return new RecsysFeatureJob(
                KafkaConnectors.values(config.bootstrapServers(), config.interactionsTopic(), config.groupId(),
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST)),
                KafkaConnectors.values(config.bootstrapServers(), config.itemsTopic(), config.groupId(),
                        OffsetsInitializer.earliest()),
                featureStore, InteractionLake.sink(config.lakeDir()),
                KafkaConnectors.deadLetters(config.bootstrapServers(), config.deadLetterTopic(), config.groupId() + "-dlq"),
                config.maxOutOfOrderness(), config.idleTimeout(), config.unknownItemGrace());
    }

    /** Applies the configuration's checkpointing and parallelism to {@code env}. */
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, Config config) {
        return configure(env, config.checkpointInterval(), config.parallelism());
    }

    /** Configures {@code env}, builds the production job and submits it without waiting: for the local platform. */
    public static JobClient submit(StreamExecutionEnvironment env, Config config) throws Exception {
        return fromConfig(config).executeAsync(configure(env, config));
    }

    @Override
    protected void build(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<InteractionEvent> parsed = env
                .fromSource(interactions, WatermarkStrategy.noWatermarks(), "interactions").uid("interactions-source")
                .process(new ParseFunction(), INTERACTION)
                .name("parse").uid("parse");
        // As in the fraud job: right after parsing, in the source's task, so that the bound also absorbs the skew
        // between the partitions one source task reads.
        DataStream<InteractionEvent> timed = parsed.assignTimestampsAndWatermarks(WatermarkStrategy
                        .<InteractionEvent>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner((event, recordTimestamp) -> event.timestamp().toEpochMilli())
                        .withIdleness(idleTimeout))
                .name("event-time").uid("event-time");
        DataStream<InteractionEvent> firstSeen = timed
                .keyBy(InteractionEvent::eventId)
                .process(new DeduplicateFunction(DEDUPLICATION_MEMORY), INTERACTION)
                .name("deduplicate").uid("deduplicate");

        SingleOutputStreamOperator<ItemCategory> catalogue = env
                .fromSource(items, catalogueWatermarks(), "catalogue").uid("items-source")
                .process(new ItemParseFunction(), TypeInformation.of(ItemCategory.class))
                .name("parse-items").uid("parse-items");
        SingleOutputStreamOperator<CategorizedInteraction> withItem = firstSeen
                .filter(event -> event.itemId() != null).name("with-item").uid("with-item")
                .connect(catalogue)
                .keyBy(InteractionEvent::itemId, ItemCategory::itemId)
                .process(new ItemCategoryFunction(unknownItemGrace), CATEGORIZED)
                .name("item-category").uid("item-category");
        DataStream<CategorizedInteraction> withoutItem = firstSeen
                .filter(event -> event.itemId() == null).name("without-item").uid("without-item")
                .map(event -> new CategorizedInteraction(event, null), CATEGORIZED)
                .name("no-category").uid("no-category");
        DataStream<CategorizedInteraction> categorized = withItem.union(withoutItem);

        categorized.map(new Counting<>(LAKE_RECORDS), CATEGORIZED).name("lake-records").uid("lake-records")
                .sinkTo(lake).name("lake").uid("lake-sink");

        SingleOutputStreamOperator<FeatureRow> userRecent = categorized
                .keyBy(CategorizedInteraction::userId)
                .process(new UserRecentFunction(), FeatureRowTypeInfo.INSTANCE)
                .name("user-recent").uid("user-recent");
        writeTo(RecsysFeatures.USER_RECENT, userRecent, "user-recent-sink");

        SingleOutputStreamOperator<FeatureRow> trending = withItem
                .flatMap(new Trending.SegmentsFunction(), TypeInformation.of(SegmentInteraction.class))
                .name("segments").uid("segments")
                .keyBy(SegmentInteraction::segment)
                .window(SlidingEventTimeWindows.of(RecsysFeatures.TRENDING_WINDOW, RecsysFeatures.TRENDING_SLIDE))
                // An interaction released by its item is as late as it waited; later ones are dropped here (the
                // window operator's numLateRecordsDropped), though the lake and the user features keep them.
                .allowedLateness(unknownItemGrace)
                .aggregate(new Trending.CountPerItem(), new Trending.TopItemsFunction(),
                        Types.MAP(Types.STRING, Types.LONG), Types.MAP(Types.STRING, Types.LONG),
                        FeatureRowTypeInfo.INSTANCE)
                .name("trending").uid("trending");
        writeTo(RecsysFeatures.TRENDING, trending, "trending-sink");

        parsed.getSideOutput(DEAD_LETTERS)
                .union(catalogue.getSideOutput(DEAD_LETTERS), withItem.getSideOutput(DEAD_LETTERS))
                .map(new Counting<>(DEAD_LETTERED), TypeInformation.of(DeadLetter.class))
                .name("dead-lettered").uid("dead-lettered")
                .sinkTo(deadLetters).name("dead-letters").uid("dead-letters-sink");
    }

    private void writeTo(FeatureView view, DataStream<FeatureRow> rows, String uid) {
        rows.sinkTo(features.get(view)).name("feature-store " + view.id()).uid(uid);
    }

    /**
     * The catalogue's stream is always idle: it never emits a watermark, so the join's event time is that of the
     * interactions alone. An item record still flows (an idle stream may carry records). With watermarks of their
     * own (publication times) a busy catalogue would hold the join back; with none and active, for ever.
     */
    static WatermarkStrategy<String> catalogueWatermarks() {
        return WatermarkStrategy.forGenerator(context -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(String record, long eventTimestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromArgs(args, System.getenv());
        RecsysFeatureJob job = fromConfig(config);
        job.execute(configure(StreamExecutionEnvironment.getExecutionEnvironment(), config));
    }

    /** Turns raw records into validated interactions; anything else becomes a {@link DeadLetter}. */
    static final class ParseFunction extends ProcessFunction<String, InteractionEvent> {

        @Override
        public void processElement(String raw, Context ctx, Collector<InteractionEvent> out) {
            if (raw == null || raw.isBlank()) {
                ctx.output(DEAD_LETTERS, new DeadLetter("empty record", raw == null ? "" : raw));
                return;
            }
            InteractionEvent event;
            try {
                event = EventJson.MAPPER.readValue(raw, InteractionEvent.class);
            } catch (JacksonException e) {
                ctx.output(DEAD_LETTERS, new DeadLetter("malformed JSON: " + e.getOriginalMessage(), raw));
                return;
            }
            if (event == null) {
                ctx.output(DEAD_LETTERS, new DeadLetter("not an interaction object", raw));
                return;
            }
            List<TransactionValidator.FieldError> errors = InteractionEvent.validate(event, Instant.now());
            if (!errors.isEmpty()) {
                ctx.output(DEAD_LETTERS, new DeadLetter("invalid interaction: " + DeadLetter.describe(errors), raw));
                return;
            }
            out.collect(event);
        }
    }

    /** Turns raw records into the categories of valid catalogue items; anything else becomes a {@link DeadLetter}. */
    static final class ItemParseFunction extends ProcessFunction<String, ItemCategory> {

        @Override
        public void processElement(String raw, Context ctx, Collector<ItemCategory> out) {
            CatalogueItem item;
            try {
                item = raw == null || raw.isBlank() ? null : EventJson.MAPPER.readValue(raw, CatalogueItem.class);
            } catch (JacksonException e) {
                ctx.output(DEAD_LETTERS, new DeadLetter("catalogue item: malformed JSON: " + e.getOriginalMessage(), raw));
                return;
            }
            if (item == null) {
                ctx.output(DEAD_LETTERS, new DeadLetter("catalogue item: not an item object", raw == null ? "" : raw));
                return;
            }
            List<TransactionValidator.FieldError> errors = CatalogueItem.validate(item);
            if (!errors.isEmpty()) {
                ctx.output(DEAD_LETTERS, new DeadLetter("catalogue item: " + DeadLetter.describe(errors), raw));
                return;
            }
            out.collect(ItemCategory.of(item));
        }
    }

    /** Passes records on, counting them in the metric {@code counter}: what the next operator was handed. */
    static final class Counting<T> extends RichMapFunction<T, T> {

        private final String counterName;
        private transient Counter counter;

        Counting(String counterName) {
            this.counterName = counterName;
        }

        @Override
        public void open(OpenContext openContext) {
            counter = getRuntimeContext().getMetricGroup().counter(counterName);
        }

        @Override
        public T map(T record) {
            counter.inc();
            return record;
        }
    }

    /**
     * The job's settings, from command-line arguments ({@code --lake-dir /data/lake}) or else environment variables
     * ({@code RECSYS_LAKE_DIR}), else defaults for this machine ({@link JobSettings}).
     */
    public record Config(String bootstrapServers, String interactionsTopic, String itemsTopic, String deadLetterTopic,
                         String groupId, Path lakeDir, Duration maxOutOfOrderness, Duration idleTimeout,
                         Duration unknownItemGrace, Duration checkpointInterval, int parallelism,
                         FeatureStoreConnection featureStore) {

        public static final String DEFAULT_GROUP_ID = "recsys-features-job";
        public static final Path DEFAULT_LAKE_DIR = Path.of(".platform", "lake");
        /** Clients batch their events for a few seconds; a row is this much behind its latest interaction. */
        public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
        /** A new item's catalogue record and its first interactions race; ten minutes covers a slow publisher. */
        public static final Duration DEFAULT_UNKNOWN_ITEM_GRACE = Duration.ofMinutes(10);
        /** Also how often the lake gets its files: a minute keeps them fresh and not too small. */
        public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

        public Config {
            JobSettings.requireText(bootstrapServers, "bootstrapServers");
            JobSettings.requireText(interactionsTopic, "interactionsTopic");
            JobSettings.requireText(itemsTopic, "itemsTopic");
            JobSettings.requireText(deadLetterTopic, "deadLetterTopic");
            JobSettings.requireText(groupId, "groupId");
            Objects.requireNonNull(lakeDir, "lakeDir");
            JobSettings.requirePositive(maxOutOfOrderness, "maxOutOfOrderness");
            JobSettings.requirePositive(idleTimeout, "idleTimeout");
            JobSettings.requirePositive(unknownItemGrace, "unknownItemGrace");
            JobSettings.requirePositive(checkpointInterval, "checkpointInterval");
            JobSettings.requireParallelism(parallelism);
            Objects.requireNonNull(featureStore, "featureStore");
        }

        /** Everything at its default: Kafka on localhost:9092, Redis and Postgres ({@code mlplatform}) local. */
        public static Config defaults() {
            return fromArgs(new String[0], Map.of());
        }

        public static Config fromArgs(String[] args, Map<String, String> env) {
            JobSettings settings = JobSettings.of(args, env);
            return new Config(
                    settings.bootstrapServers(),
                    settings.text("interactions-topic", "RECSYS_INTERACTIONS_TOPIC", INTERACTIONS_TOPIC),
                    settings.text("items-topic", "RECSYS_ITEMS_TOPIC", ITEMS_TOPIC),
                    settings.text("dead-letter-topic", "RECSYS_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC),
                    settings.text("group-id", "RECSYS_FEATURES_GROUP_ID", DEFAULT_GROUP_ID),
                    Path.of(settings.text("lake-dir", "RECSYS_LAKE_DIR", DEFAULT_LAKE_DIR.toString())),
                    settings.duration("max-out-of-orderness", "RECSYS_FEATURES_MAX_OUT_OF_ORDERNESS",
                            DEFAULT_MAX_OUT_OF_ORDERNESS),
                    settings.duration("idle-timeout", "RECSYS_FEATURES_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
                    settings.duration("unknown-item-grace", "RECSYS_FEATURES_UNKNOWN_ITEM_GRACE",
                            DEFAULT_UNKNOWN_ITEM_GRACE),
                    settings.duration("checkpoint-interval", "RECSYS_FEATURES_CHECKPOINT_INTERVAL",
                            DEFAULT_CHECKPOINT_INTERVAL),
                    settings.integer("parallelism", "RECSYS_FEATURES_PARALLELISM", 2),
                    settings.featureStore());
        }
    }
}
