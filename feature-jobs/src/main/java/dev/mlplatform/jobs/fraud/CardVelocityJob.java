package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.CardVelocity;
import dev.mlplatform.featurestore.definitions.CardVelocity.Tally;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.flink.FeatureRowTypeInfo;
import dev.mlplatform.featurestore.flink.FeatureStoreSink;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.core.JacksonException;

/**
 * Per-card velocity features in event time: for every transaction on {@code fraud.transactions.v1},
 * the card's transaction count and amount sum over 1 min, 5 min and 1 h ({@link FraudFeatures#CARD_VELOCITY}),
 * written to the feature store; again whenever a transaction leaves a window, so that the online
 * store never serves stale velocity.
 *
 * <p>Records that are not valid transactions go to {@value #DEAD_LETTER_TOPIC}, events that arrive
 * behind the watermark to {@value #LATE_TOPIC}; neither stops the job. The values themselves are
 * computed by {@link CardVelocity}, which training code uses too.
 *
 * <pre>
 * source ─▶ parse ─▶ watermarks ─▶ keyBy(card token) ─▶ velocity ─▶ feature store
 *             └─▶ dead letters                            └─▶ late events
 * </pre>
 */
public final class CardVelocityJob {

    public static final String TRANSACTIONS_TOPIC = "fraud.transactions.v1";
    public static final String LATE_TOPIC = "fraud.transactions.late.v1";
    public static final String DEAD_LETTER_TOPIC = "fraud.transactions.dlq.v1";

    /** Header of a dead-letter record naming what was wrong (the name Spring Kafka's recoverer uses too). */
    public static final String ERROR_HEADER = "kafka_dlt-exception-message";

    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    static final OutputTag<TransactionEvent> LATE_EVENTS =
            new OutputTag<>("late-events", TypeInformation.of(TransactionEvent.class));

    private final Source<String, ?, ?> transactions;
    private final Sink<FeatureRow> features;
    private final Sink<TransactionEvent> lateEvents;
    private final Sink<DeadLetter> deadLetters;
    private final Duration maxOutOfOrderness;
    private final Duration idleTimeout;

    /**
     * @param transactions      raw transaction records (JSON text)
     * @param features          receives the {@link FraudFeatures#CARD_VELOCITY} rows
     * @param lateEvents        receives transactions whose event time was already behind the watermark
     * @param deadLetters       receives records that are not valid transactions, with the reason
     * @param maxOutOfOrderness how far behind the latest event time an event may arrive and still count
     * @param idleTimeout       after this long without records a source split stops holding back the watermark
     */
    public CardVelocityJob(Source<String, ?, ?> transactions, Sink<FeatureRow> features,
                           Sink<TransactionEvent> lateEvents, Sink<DeadLetter> deadLetters,
                           Duration maxOutOfOrderness, Duration idleTimeout) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.features = Objects.requireNonNull(features, "features");
        this.lateEvents = Objects.requireNonNull(lateEvents, "lateEvents");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.maxOutOfOrderness = requirePositive(maxOutOfOrderness, "maxOutOfOrderness");
        this.idleTimeout = requirePositive(idleTimeout, "idleTimeout");
    }

    /** The production job: Kafka in; the feature store and Kafka out. */
    public static CardVelocityJob fromConfig(Config config) {
        return fromConfig(config, new FeatureStoreSink(FraudFeatures.CARD_VELOCITY, config.featureStore()));
    }

    /** The production job with the rows going to {@code features} instead of the feature store. */
    public static CardVelocityJob fromConfig(Config config, Sink<FeatureRow> features) {
        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.transactionsTopic())
                .setGroupId(config.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                // Kafka's own deserializer: a null value (tombstone) becomes a dead letter, not a crash.
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(StringDeserializer.class))
                // Fewer, fuller fetches: at a few hundred records per second a fetch per record costs the broker
                // more than the records; a card's row is at most this much later in the online store.
                .setProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536")
                .setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50")
                .build();
        String lateTopic = config.lateTopic();
        KafkaSink<TransactionEvent> late = kafkaSink(config, config.groupId() + "-late", (event, context, timestamp) ->
                new ProducerRecord<>(lateTopic, null, timestamp, utf8(event.cardKey()), EventJson.MAPPER.writeValueAsBytes(event)));
        String deadLetterTopic = config.deadLetterTopic();
        KafkaSink<DeadLetter> deadLetters = kafkaSink(config, config.groupId() + "-dlq", (letter, context, timestamp) ->
                new ProducerRecord<>(deadLetterTopic, null, null, null, utf8(letter.payload()),
                        List.of(new RecordHeader(ERROR_HEADER, utf8(letter.error())))));
        return new CardVelocityJob(source, features, late, deadLetters, config.maxOutOfOrderness(), config.idleTimeout());
    }

    /** Applies the configuration's checkpointing (exactly-once) and parallelism to {@code env}. */
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, Config config) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setParallelism(config.parallelism());
        return env;
    }

    /** Configures {@code env}, builds the production job and submits it without waiting: for the local platform. */
    public static JobClient submit(StreamExecutionEnvironment env, Config config) throws Exception {
        return fromConfig(config).executeAsync(configure(env, config));
    }

    /** Adds the job to {@code env} and submits it; returns at once. */
    public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(jobName());
    }

    /** Adds the job to {@code env} and runs it to the end (of a bounded source), or forever. */
    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(jobName());
    }

    void build(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<TransactionEvent> parsed = env
                .fromSource(transactions, WatermarkStrategy.noWatermarks(), "transactions").uid("transactions-source")
                .process(new ParseFunction(), TypeInformation.of(TransactionEvent.class))
                .name("parse").uid("parse");

        // Watermarks are assigned right after parsing, in the source's task, so the out-of-orderness
        // bound also absorbs the skew between the partitions one source task reads.
        WatermarkStrategy<TransactionEvent> eventTime = WatermarkStrategy
                .<TransactionEvent>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((event, recordTimestamp) -> event.timestamp().toEpochMilli())
                .withIdleness(idleTimeout);

        SingleOutputStreamOperator<FeatureRow> velocity = parsed
                .assignTimestampsAndWatermarks(eventTime).name("event-time").uid("event-time")
                .keyBy(TransactionEvent::cardKey)
                .process(new CardVelocityFunction(), FeatureRowTypeInfo.INSTANCE)
                .name("card-velocity").uid("card-velocity");

        velocity.sinkTo(features).name("feature-store").uid("feature-store-sink");
        velocity.getSideOutput(LATE_EVENTS).sinkTo(lateEvents).name("late-events").uid("late-events-sink");
        parsed.getSideOutput(DEAD_LETTERS).sinkTo(deadLetters).name("dead-letters").uid("dead-letters-sink");
    }

    private static String jobName() {
        return "card-velocity (" + FraudFeatures.CARD_VELOCITY.id() + ")";
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromArgs(args, System.getenv());
        CardVelocityJob job = fromConfig(config);
        job.execute(configure(StreamExecutionEnvironment.getExecutionEnvironment(), config));
    }

    /**
     * Turns raw records into tokenized, validated transactions. Anything else becomes a {@link DeadLetter}
     * with the same message the REST API would give, so one bad producer cannot stop the job.
     */
    static final class ParseFunction extends ProcessFunction<String, TransactionEvent> {

        /** 12 to 19 digits, possibly grouped by spaces or dashes: anything that may be a card number. */
        private static final Pattern CARD_NUMBER_LIKE = Pattern.compile("(?<!\\d)(?:\\d[ -]?){11,18}\\d(?!\\d)");

        private transient CardTokenizer tokenizer;

        @Override
        public void open(OpenContext openContext) {
            tokenizer = CardTokenizer.fromEnvironment();
        }

        @Override
        public void processElement(String raw, Context ctx, Collector<TransactionEvent> out) {
            if (raw == null || raw.isBlank()) {
                ctx.output(DEAD_LETTERS, new DeadLetter("empty record", raw == null ? "" : raw));
                return;
            }
            TransactionEvent event;
            try {
                event = EventJson.MAPPER.readValue(raw, TransactionEvent.class);
            } catch (JacksonException e) {
                ctx.output(DEAD_LETTERS, new DeadLetter("malformed JSON: " + e.getOriginalMessage(), masked(raw)));
                return;
            }
            if (event == null) {
                ctx.output(DEAD_LETTERS, new DeadLetter("not a transaction object", masked(raw)));
                return;
            }
            List<TransactionValidator.FieldError> errors = TransactionValidator.validate(event, Instant.now());
            if (!errors.isEmpty()) {
                String message = errors.stream().map(error -> error.field() + " " + error.message())
                        .collect(Collectors.joining("; "));
                ctx.output(DEAD_LETTERS, new DeadLetter("invalid transaction: " + message, masked(raw)));
                return;
            }
            out.collect(event.tokenized(tokenizer));
        }

        /** The record with every card-number-like digit run replaced by its token (PCI: no PAN in any topic). */
        String masked(String raw) {
            Matcher matcher = CARD_NUMBER_LIKE.matcher(raw);
            StringBuilder masked = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(masked, Matcher.quoteReplacement(tokenizer.tokenize(matcher.group())));
            }
            return matcher.appendTail(masked).toString();
        }
    }

    /**
     * Keeps, per card, the transactions of the last hour as {@link Tally tallies} by event-time millisecond,
     * and emits the card's row at each instant its features change: a transaction's own time and the
     * times it leaves each window. Rows are emitted by event-time timers, that is once the watermark
     * has passed them: every transaction up to that instant has arrived, so each row is exact however
     * out of order the transactions came, and rows come out in event-time order. A card idle for the
     * longest window has no state and no timer left.
     */
    static final class CardVelocityFunction extends KeyedProcessFunction<String, TransactionEvent, FeatureRow> {

        private transient MapState<Long, Tally> talliesByMillis;

        @Override
        public void open(OpenContext openContext) {
            talliesByMillis = getRuntimeContext().getMapState(
                    new MapStateDescriptor<>("tallies-by-millis", Types.LONG, TypeInformation.of(Tally.class)));
        }

        @Override
        public void processElement(TransactionEvent event, Context ctx, Collector<FeatureRow> out) throws Exception {
            Tally tally = Tally.of(event.timestamp(), event.amount());
            if (tally.epochMillis() <= ctx.timerService().currentWatermark()) {
                // Rows up to the watermark are already out; counting it now would make them wrong.
                ctx.output(LATE_EVENTS, event);
                return;
            }
            Tally sameMillisecond = talliesByMillis.get(tally.epochMillis());
            talliesByMillis.put(tally.epochMillis(), sameMillisecond == null ? tally : sameMillisecond.plus(tally));
            for (long changeTime : CardVelocity.changeTimes(tally.epochMillis())) {
                ctx.timerService().registerEventTimeTimer(changeTime);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
            List<Tally> upToNow = new ArrayList<>();
            Iterator<Map.Entry<Long, Tally>> entries = talliesByMillis.iterator();
            while (entries.hasNext()) {
                Tally tally = entries.next().getValue();
                if (!CardVelocity.stillCounts(tally, timestamp)) {
                    entries.remove();
                } else if (tally.epochMillis() <= timestamp) {
                    upToNow.add(tally);
                }
            }
            out.collect(CardVelocity.rowAt(ctx.getCurrentKey(), timestamp, upToNow));
            if (talliesByMillis.isEmpty()) {
                // The last timer of the last transaction has fired: nothing of this card is left.
                talliesByMillis.clear();
            }
        }
    }

    /** A record that is not a valid transaction: why, and the record with card numbers masked. */
    public record DeadLetter(String error, String payload) {
    }

    /**
     * The job's settings, from command-line arguments ({@code --bootstrap-servers host:9092}) or else
     * environment variables ({@code KAFKA_BOOTSTRAP_SERVERS}), else defaults for this machine.
     * Durations read as {@code 5s}, {@code 500ms}, {@code 1min}.
     */
    public record Config(String bootstrapServers, String transactionsTopic, String lateTopic, String deadLetterTopic,
                         String groupId, Duration maxOutOfOrderness, Duration idleTimeout,
                         Duration checkpointInterval, int parallelism, FeatureStoreConnection featureStore) {

        public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

        public Config {
            requireText(bootstrapServers, "bootstrapServers");
            requireText(transactionsTopic, "transactionsTopic");
            requireText(lateTopic, "lateTopic");
            requireText(deadLetterTopic, "deadLetterTopic");
            requireText(groupId, "groupId");
            requirePositive(maxOutOfOrderness, "maxOutOfOrderness");
            requirePositive(idleTimeout, "idleTimeout");
            requirePositive(checkpointInterval, "checkpointInterval");
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
            }
            Objects.requireNonNull(featureStore, "featureStore");
        }

        /** Everything at its default: Kafka on localhost:9092, Redis and Postgres ({@code mlplatform}) local. */
        public static Config defaults() {
            return fromArgs(new String[0], Map.of());
        }

        public static Config fromArgs(String[] args, Map<String, String> env) {
            ParameterTool params = ParameterTool.fromArgs(args);
            return new Config(
                    setting(params, env, "bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                    setting(params, env, "transactions-topic", "FRAUD_TRANSACTIONS_TOPIC", TRANSACTIONS_TOPIC),
                    setting(params, env, "late-topic", "FRAUD_LATE_TOPIC", LATE_TOPIC),
                    setting(params, env, "dead-letter-topic", "FRAUD_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC),
                    setting(params, env, "group-id", "CARD_VELOCITY_GROUP_ID", "card-velocity-job"),
                    duration(params, env, "max-out-of-orderness", "CARD_VELOCITY_MAX_OUT_OF_ORDERNESS",
                            DEFAULT_MAX_OUT_OF_ORDERNESS),
                    duration(params, env, "idle-timeout", "CARD_VELOCITY_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
                    duration(params, env, "checkpoint-interval", "CARD_VELOCITY_CHECKPOINT_INTERVAL",
                            DEFAULT_CHECKPOINT_INTERVAL),
                    integer(params, env, "parallelism", "CARD_VELOCITY_PARALLELISM", 2),
                    new FeatureStoreConnection(
                            setting(params, env, "redis-uri", "REDIS_URI", "redis://127.0.0.1:6379/0"),
                            setting(params, env, "jdbc-url", "JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/mlplatform"),
                            setting(params, env, "jdbc-user", "JDBC_USER", "postgres"),
                            setting(params, env, "jdbc-password", "JDBC_PASSWORD", "")));
        }

        private static String setting(ParameterTool params, Map<String, String> env, String arg, String variable,
                                      String fallback) {
            if (params.has(arg)) {
                return params.get(arg);
            }
            String value = env.get(variable);
            return value == null || value.isBlank() ? fallback : value;
        }

        private static Duration duration(ParameterTool params, Map<String, String> env, String arg, String variable,
                                         Duration fallback) {
            String text = setting(params, env, arg, variable, null);
            if (text == null) {
                return fallback;
            }
            try {
                return TimeUtils.parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + arg + " (or " + variable + "): not a duration such as 5s, "
                        + "500ms or 1min: '" + text + "'", e);
            }
        }

        private static int integer(ParameterTool params, Map<String, String> env, String arg, String variable,
                                   int fallback) {
            String text = setting(params, env, arg, variable, Integer.toString(fallback));
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + arg + " (or " + variable + "): not a whole number: '"
                        + text + "'", e);
            }
        }

        private static void requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
        }
    }

    private static <T> KafkaSink<T> kafkaSink(Config config, String transactionalIdPrefix,
                                              KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                // Within a stock broker's transaction.max.timeout.ms (15 min); the connector's default is 1 h.
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(Duration.ofMinutes(15).toMillis()))
                .build();
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}
