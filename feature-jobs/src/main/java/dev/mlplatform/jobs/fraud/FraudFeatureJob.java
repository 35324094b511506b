package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.DistinctCards;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.flink.FeatureRowTypeInfo;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.jobs.common.DeadLetter;
import dev.mlplatform.jobs.common.FeatureJob;
import dev.mlplatform.jobs.common.FeatureStoreSinks;
import dev.mlplatform.jobs.common.JobSettings;
import dev.mlplatform.jobs.common.KafkaConnectors;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.core.JacksonException;

/**
 * The fraud features in event time, from every transaction on {@code fraud.transactions.v1}, written to the
 * feature store ({@link FraudFeatures#STREAMED_VIEWS}):
 * <ul>
 *   <li>velocity: the transaction count and amount sum of the card over 1 min, 5 min and 1 h
 *       ({@link FraudFeatures#CARD_VELOCITY}), and of the customer, the device and the merchant over
 *       1 min, 5 min, 1 h and 1 day ({@link FraudFeatures#CUSTOMER_VELOCITY}, {@link FraudFeatures#DEVICE_VELOCITY},
 *       {@link FraudFeatures#MERCHANT_VELOCITY}); a row at each transaction and again whenever a transaction
 *       leaves a window, so that the online store never serves stale velocity;</li>
 *   <li>card activity: the devices a card paid from and its last located payments
 *       ({@link FraudFeatures#CARD_ACTIVITY}), and when it first and last paid from each device
 *       ({@link FraudFeatures#CARD_DEVICE_HISTORY});</li>
 *   <li>distinct cards per device and per merchant over 1 h and 1 day ({@link FraudFeatures#DEVICE_CARDS},
 *       {@link FraudFeatures#MERCHANT_CARDS});</li>
 *   <li>merchant risk: a merchant's payments and the frauds among them that {@value #LABELS_TOPIC} reported,
 *       over 1, 7 and 30 days shifted back by the label delay ({@link FraudFeatures#MERCHANT_RISK});</li>
 *   <li>the payment log: every payment, offline only ({@link FraudFeatures#PAYMENT_LOG}), the source of the
 *       daily batch views ({@link FraudFeatures#BATCH_VIEWS}).</li>
 * </ul>
 *
 * <p>Records that are not valid transactions go to {@value #DEAD_LETTER_TOPIC}; neither they nor late
 * transactions stop the job. A velocity counts a transaction up to the allowed lateness behind the
 * watermark and emits the rows it changes again, corrected (metric {@value #LATE_EVENTS_CORRECTED}); a
 * later one goes to {@value #LATE_TOPIC}, forwarded by the card velocity alone so that each reaches the
 * topic once, the other branches counting it in {@value #LATE_EVENTS_DROPPED}. The card activity corrects its
 * rows the same way; the distinct cards count nothing behind the watermark; the merchant risk, which reads
 * payments a week old, takes payments up to almost a week late. The values themselves are computed by {@link WindowedVelocity},
 * {@link CardActivity}, {@link DistinctCards} and {@link MerchantRisk}, which training code uses too. Labels that
 * are not valid go to the same dead-letter topic, their error starting "fraud label".
 *
 * <pre>
 * source ─▶ parse ─▶ event time ─┬─▶ payment log (offline) ───────────────▶ payment_log
 *            │                   ├─▶ keyBy(card token) ─▶ card velocity ─────▶ card_velocity
 *            │                   │                             └─▶ late events
 *            └─▶ dead letters    ├─▶ keyBy(customer) ───▶ customer velocity ─▶ customer_velocity
 *                                ├─▶ with device ─┬─▶ keyBy(device) ─▶ device velocity ─▶ device_velocity
 *                                │                └─▶ keyBy(device) ─▶ distinct cards ──▶ device_cards
 *                                ├─▶ keyBy(merchant) ───▶ merchant velocity ─▶ merchant_velocity
 *                                ├─▶ keyBy(merchant) ───▶ distinct cards ────▶ merchant_cards
 *                                ├─▶ keyBy(card token) ─▶ card activity ─────▶ card_activity
 *                                │                             └─▶ card_device_history
 *                                └─▶ keyBy(merchant) ─┬─▶ merchant risk ─────▶ merchant_risk
 * labels ─▶ parse ─▶ event time ─▶ keyBy(merchant) ───┘
 *            └─▶ dead letters
 * </pre>
 */
public final class FraudFeatureJob extends FeatureJob {

    public static final String TRANSACTIONS_TOPIC = "fraud.transactions.v1";
    public static final String LATE_TOPIC = "fraud.transactions.late.v1";
    public static final String LABELS_TOPIC = "fraud.labels.v1";
    public static final String DEAD_LETTER_TOPIC = "fraud.transactions.dlq.v1";
    public static final String JOB_NAME = "fraud-features";

    /**
     * How long a sink gathers rows before writing them: six views each commit to Postgres per flush, and a
     * row is already the out-of-orderness (5 s) behind its event, so a second more costs little freshness.
     */
    static final Duration SINK_BUFFER_DELAY = Duration.ofSeconds(1);

    /** The views the job writes: those the service reads and the payment log. */
    public static final List<FeatureView> VIEWS =
            Stream.concat(FraudFeatures.STREAMED_VIEWS.stream(), Stream.of(FraudFeatures.PAYMENT_LOG)).toList();

    /** Counter of the transactions a branch other than the card velocity left out for being too late. */
    public static final String LATE_EVENTS_DROPPED = "lateEventsDropped";
    /** Counter of the late transactions a velocity still counted, emitting the rows they changed again. */
    public static final String LATE_EVENTS_CORRECTED = "lateEventsCorrected";

    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    static final OutputTag<TransactionEvent> LATE_EVENTS =
            new OutputTag<>("late-events", TypeInformation.of(TransactionEvent.class));

    private final Source<String, ?, ?> transactions;
    private final Source<String, ?, ?> labels;
    private final Map<FeatureView, Sink<FeatureRow>> features;
    private final Sink<TransactionEvent> lateEvents;
    private final Sink<DeadLetter> deadLetters;
    private final Duration maxOutOfOrderness;
    private final Duration allowedLateness;
    private final Duration idleTimeout;

    /**
     * @param transactions      raw transaction records (JSON text)
     * @param labels            raw fraud label records (JSON text, {@link FraudLabel})
     * @param features          receives the rows of each view, one sink for each of {@link #VIEWS}
     * @param lateEvents        receives transactions whose event time was already behind the watermark
     * @param deadLetters       receives records that are not valid transactions, with the reason
     * @param maxOutOfOrderness how far behind the latest event time an event may arrive and still count
     * @param allowedLateness   how far behind the watermark a transaction still counts in the velocities,
     *                          the rows it changes emitted again
     * @param idleTimeout       after this long without records a source split stops holding back the watermark
     */
    public FraudFeatureJob(Source<String, ?, ?> transactions, Source<String, ?, ?> labels,
                           Map<FeatureView, ? extends Sink<FeatureRow>> features,
                           Sink<TransactionEvent> lateEvents, Sink<DeadLetter> deadLetters,
                           Duration maxOutOfOrderness, Duration allowedLateness, Duration idleTimeout) {
        super(JOB_NAME);
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (!Objects.requireNonNull(features, "features").keySet().equals(Set.copyOf(VIEWS))) {
            throw new IllegalArgumentException("features: one sink for each of "
                    + VIEWS.stream().map(FeatureView::id).toList() + ", got sinks for "
                    + features.keySet().stream().map(FeatureView::id).toList());
        }
        this.features = Map.copyOf(features);
        this.lateEvents = Objects.requireNonNull(lateEvents, "lateEvents");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.maxOutOfOrderness = JobSettings.requirePositive(maxOutOfOrderness, "maxOutOfOrderness");
        this.allowedLateness = JobSettings.requireNotNegative(allowedLateness, "allowedLateness");
        this.idleTimeout = JobSettings.requirePositive(idleTimeout, "idleTimeout");
    }

    /** The production job: Kafka in; the feature store and Kafka out. */
    public static FraudFeatureJob fromConfig(Config config) {
        Map<FeatureView, Sink<FeatureRow>> featureStore = new LinkedHashMap<>();
        for (FeatureView view : FraudFeatures.STREAMED_VIEWS) {
            featureStore.put(view, FeatureStoreSinks.of(view, config.featureStore()).withMaxBufferDelay(SINK_BUFFER_DELAY));
        }
        featureStore.put(FraudFeatures.PAYMENT_LOG, FeatureStoreSinks.of(FraudFeatures.PAYMENT_LOG, config.featureStore())
                .withMaxBufferDelay(SINK_BUFFER_DELAY).offlineOnly());
        return fromConfig(config, featureStore);
    }

    /** The production job with the rows going to {@code features} (a sink per view) instead of the feature store. */
    public static FraudFeatureJob fromConfig(Config config, Map<FeatureView, ? extends Sink<FeatureRow>> features) {
        KafkaSource<String> source = kafkaSource(config, config.transactionsTopic());
        String lateTopic = config.lateTopic();
        KafkaSink<TransactionEvent> late = KafkaConnectors.exactlyOnce(config.bootstrapServers(), config.groupId() + "-late",
                (event, context, timestamp) -> new ProducerRecord<>(lateTopic, null, timestamp,
                        KafkaConnectors.utf8(event.cardKey()), EventJson.MAPPER.writeValueAsBytes(event)));
        KafkaSink<DeadLetter> deadLetters = KafkaConnectors.deadLetters(config.bootstrapServers(),
                config.deadLetterTopic(), config.groupId() + "-dlq");
        return new FraudFeatureJob(source, kafkaSource(config, config.labelsTopic()), features, late, deadLetters,
                config.maxOutOfOrderness(), config.allowedLateness(), config.idleTimeout());
    }

    private static KafkaSource<String> kafkaSource(Config config, String topic) {
        return KafkaConnectors.values(config.bootstrapServers(), topic, config.groupId(),
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
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
        DataStream<TransactionEvent> timed = parsed.assignTimestampsAndWatermarks(eventTime)
                .name("event-time").uid("event-time");

        writeTo(FraudFeatures.PAYMENT_LOG, timed.map(CustomerSpending::paymentLogRow, FeatureRowTypeInfo.INSTANCE)
                .name("payment-log").uid("payment-log"), "payment-log-sink");

        // The card velocity and its sinks keep the uids they had in the card-velocity job that preceded this
        // one, so that the state in its checkpoints maps onto the same operators.
        SingleOutputStreamOperator<FeatureRow> cardVelocity = timed
                .keyBy(TransactionEvent::cardKey)
                .process(new VelocityFunction(FraudFeatures.cardVelocity(), true, allowedLateness), FeatureRowTypeInfo.INSTANCE)
                .name("card-velocity").uid("card-velocity");
        writeTo(FraudFeatures.CARD_VELOCITY, cardVelocity, "feature-store-sink");
        cardVelocity.getSideOutput(LATE_EVENTS).sinkTo(lateEvents).name("late-events").uid("late-events-sink");

        entityVelocity(FraudFeatures.CUSTOMER_VELOCITY, timed, TransactionEvent::customerId, "customer-velocity");
        DataStream<TransactionEvent> withDevice = timed.filter(event -> event.deviceId() != null)
                .name("with-device").uid("with-device");
        entityVelocity(FraudFeatures.DEVICE_VELOCITY, withDevice, TransactionEvent::deviceId, "device-velocity");
        entityVelocity(FraudFeatures.MERCHANT_VELOCITY, timed, TransactionEvent::merchantId, "merchant-velocity");
        distinctCards(FraudFeatures.DEVICE_CARDS, withDevice, TransactionEvent::deviceId, "device-cards");
        distinctCards(FraudFeatures.MERCHANT_CARDS, timed, TransactionEvent::merchantId, "merchant-cards");

        SingleOutputStreamOperator<FeatureRow> cardActivity = timed
                .keyBy(TransactionEvent::cardKey)
                .process(new CardActivityFunction(allowedLateness), FeatureRowTypeInfo.INSTANCE)
                .name("card-activity").uid("card-activity");
        writeTo(FraudFeatures.CARD_ACTIVITY, cardActivity, "card-activity-sink");
        writeTo(FraudFeatures.CARD_DEVICE_HISTORY, cardActivity.getSideOutput(CardActivityFunction.CARD_DEVICE_ROWS),
                "card-device-history-sink");

        SingleOutputStreamOperator<FraudLabel> parsedLabels = env
                .fromSource(labels, WatermarkStrategy.noWatermarks(), "fraud-labels").uid("labels-source")
                .process(new LabelParseFunction(), TypeInformation.of(FraudLabel.class))
                .name("parse-labels").uid("parse-labels");
        // Labels are sparse: an idle labels partition must not hold back the merchant risk's watermark.
        DataStream<FraudLabel> timedLabels = parsedLabels.assignTimestampsAndWatermarks(WatermarkStrategy
                        .<FraudLabel>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner((label, recordTimestamp) -> label.reportedAt().toEpochMilli())
                        .withIdleness(idleTimeout))
                .name("label-event-time").uid("label-event-time");
        SingleOutputStreamOperator<FeatureRow> merchantRisk = timed.connect(timedLabels)
                .keyBy(TransactionEvent::merchantId, FraudLabel::merchantId)
                .process(new MerchantRiskFunction(), FeatureRowTypeInfo.INSTANCE)
                .name("merchant-risk").uid("merchant-risk");
        writeTo(FraudFeatures.MERCHANT_RISK, merchantRisk, "merchant-risk-sink");

        parsed.getSideOutput(DEAD_LETTERS).union(parsedLabels.getSideOutput(DEAD_LETTERS))
                .sinkTo(deadLetters).name("dead-letters").uid("dead-letters-sink");
    }

    /**
     * The velocity of the entity {@code key} picks, over {@link FraudFeatures#entityVelocity()}'s windows, into
     * {@code view}; {@code uid} names the operator (and, suffixed, its sink) in checkpoints.
     */
    private void entityVelocity(FeatureView view, DataStream<TransactionEvent> events,
                                KeySelector<TransactionEvent, String> key, String uid) {
        SingleOutputStreamOperator<FeatureRow> rows = events
                .keyBy(key)
                .process(new VelocityFunction(FraudFeatures.entityVelocity(), false, allowedLateness), FeatureRowTypeInfo.INSTANCE)
                .name(uid).uid(uid);
        writeTo(view, rows, uid + "-sink");
    }

    /** The distinct cards of the entity {@code key} picks into {@code view}; {@code uid} names the operator. */
    private void distinctCards(FeatureView view, DataStream<TransactionEvent> events,
                               KeySelector<TransactionEvent, String> key, String uid) {
        SingleOutputStreamOperator<FeatureRow> rows = events
                .keyBy(key)
                .process(new DistinctCardsFunction(), FeatureRowTypeInfo.INSTANCE)
                .name(uid).uid(uid);
        writeTo(view, rows, uid + "-sink");
    }

    private void writeTo(FeatureView view, DataStream<FeatureRow> rows, String uid) {
        rows.sinkTo(features.get(view)).name("feature-store " + view.id()).uid(uid);
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromArgs(args, System.getenv());
        FraudFeatureJob job = fromConfig(config);
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
                ctx.output(DEAD_LETTERS, new DeadLetter("invalid transaction: " + DeadLetter.describe(errors), masked(raw)));
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

    /** Turns raw records into validated fraud labels; anything else becomes a {@link DeadLetter}. */
    static final class LabelParseFunction extends ProcessFunction<String, FraudLabel> {

        @Override
        public void processElement(String raw, Context ctx, Collector<FraudLabel> out) {
            FraudLabel label;
            try {
                label = raw == null || raw.isBlank() ? null : EventJson.MAPPER.readValue(raw, FraudLabel.class);
            } catch (JacksonException e) {
                ctx.output(DEAD_LETTERS, new DeadLetter("fraud label: malformed JSON: " + e.getOriginalMessage(), raw));
                return;
            }
            if (label == null) {
                ctx.output(DEAD_LETTERS, new DeadLetter("fraud label: not a label object", raw == null ? "" : raw));
                return;
            }
            List<TransactionValidator.FieldError> errors = FraudLabel.validate(label, Instant.now());
            if (!errors.isEmpty()) {
                ctx.output(DEAD_LETTERS, new DeadLetter("fraud label: " + DeadLetter.describe(errors), raw));
                return;
            }
            out.collect(label);
        }
    }

    /**
     * The job's settings, from command-line arguments ({@code --bootstrap-servers host:9092}) or else
     * environment variables ({@code KAFKA_BOOTSTRAP_SERVERS}), else defaults for this machine
     * ({@link JobSettings}).
     */
    public record Config(String bootstrapServers, String transactionsTopic, String labelsTopic, String lateTopic,
                         String deadLetterTopic, String groupId, Duration maxOutOfOrderness, Duration allowedLateness, Duration idleTimeout,
                         Duration checkpointInterval, int parallelism, FeatureStoreConnection featureStore) {

        public static final String DEFAULT_GROUP_ID = "fraud-features-job";
        public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
        /** A payment terminal that was offline for a few minutes still counts; a day-old batch does not. */
        public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(10);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
        /**
         * The heap state backend writes the whole state at each checkpoint (a day of tallies per customer,
         * device and merchant, 90 days of card activity): a minute keeps that a small share of the CPU; a
         * failure replays at most a minute of input.
         */
        public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

        public Config {
            JobSettings.requireText(bootstrapServers, "bootstrapServers");
            JobSettings.requireText(transactionsTopic, "transactionsTopic");
            JobSettings.requireText(labelsTopic, "labelsTopic");
            JobSettings.requireText(lateTopic, "lateTopic");
            JobSettings.requireText(deadLetterTopic, "deadLetterTopic");
            JobSettings.requireText(groupId, "groupId");
            JobSettings.requirePositive(maxOutOfOrderness, "maxOutOfOrderness");
            JobSettings.requireNotNegative(allowedLateness, "allowedLateness");
            JobSettings.requirePositive(idleTimeout, "idleTimeout");
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
                    settings.text("transactions-topic", "FRAUD_TRANSACTIONS_TOPIC", TRANSACTIONS_TOPIC),
                    settings.text("labels-topic", "FRAUD_LABELS_TOPIC", LABELS_TOPIC),
                    settings.text("late-topic", "FRAUD_LATE_TOPIC", LATE_TOPIC),
                    settings.text("dead-letter-topic", "FRAUD_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC),
                    settings.text("group-id", "FRAUD_FEATURES_GROUP_ID", DEFAULT_GROUP_ID),
                    settings.duration("max-out-of-orderness", "FRAUD_FEATURES_MAX_OUT_OF_ORDERNESS",
                            DEFAULT_MAX_OUT_OF_ORDERNESS),
                    settings.duration("allowed-lateness", "FRAUD_FEATURES_ALLOWED_LATENESS", DEFAULT_ALLOWED_LATENESS),
                    settings.duration("idle-timeout", "FRAUD_FEATURES_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
                    settings.duration("checkpoint-interval", "FRAUD_FEATURES_CHECKPOINT_INTERVAL",
                            DEFAULT_CHECKPOINT_INTERVAL),
                    settings.integer("parallelism", "FRAUD_FEATURES_PARALLELISM", 2),
                    settings.featureStore());
        }
    }
}
