package dev.mlplatform.bench;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load on the Kafka path: produces transactions to {@code fraud.transactions.v1} (as fast as possible,
 * or at a constant rate) and follows {@code fraud.decisions.v1} to measure how fast decisions appear and
 * how long each transaction took from send to decision (end to end, through the broker, the service,
 * the feature store, the model, Postgres and the decisions topic).
 */
public final class KafkaBench {

    /**
     * What to run.
     *
     * @param rate        transactions per second, or 0 for as fast as the producer goes
     * @param idleTimeout how long to wait for the next decision before counting the rest as missing
     * @param customers   simulated cards
     */
    public record Config(long count, double rate, Duration idleTimeout, long seed, int customers) {
    }

    /**
     * What was measured.
     *
     * @param producedPerSecond        transactions acknowledged by the broker per second of producing
     * @param decidedPerSecond         decisions per second, from the first send to the last decision
     * @param peakDecidedPerSecond     the most decisions seen in one second
     * @param serviceCpuSeconds        CPU time the fraud-service process used meanwhile, when it could be read
     * @param decisionsPerCpuSecond    decisions per CPU-second of the fraud-service (per core), when known
     * @param latency                  send to decision, per transaction
     */
    public record Result(String runId, long count, double targetRate, long produced, long produceErrors,
                         double producedPerSecond, long decided, long missing, long duplicates,
                         Map<String, Long> decisions, double decidedPerSecond, long peakDecidedPerSecond,
                         Double serviceCpuSeconds, Double decisionsPerCpuSecond, LatencySummary latency,
                         Histogram histogram) {
    }

    private final Platform platform;
    private final Config config;
    private final PrintStream progress;
    private final Clock clock;

    public KafkaBench(Platform platform, Config config, PrintStream progress, Clock clock) {
        this.platform = platform;
        this.config = config;
        this.progress = progress;
        this.clock = clock;
    }

    public Result run() throws InterruptedException {
        if (config.count() > Integer.MAX_VALUE - 8) {
            throw new Options.UsageException("--count must be at most " + (Integer.MAX_VALUE - 8));
        }
        try (Traffic traffic = new Traffic(Traffic.newRunId("bench", clock.instant()), config.seed(), clock,
                config.customers())) {
            return run(traffic);
        }
    }

    private Result run(Traffic traffic) throws InterruptedException {
        int n = (int) config.count();
        AtomicLongArray sentAt = new AtomicLongArray(n);
        AtomicLongArray decidedAt = new AtomicLongArray(n);
        LongAdder duplicates = new LongAdder();
        LongAdder decided = new LongAdder();
        LongAdder produced = new LongAdder();
        LongAdder produceErrors = new LongAdder();
        AtomicLong lastDecision = new AtomicLong();
        Counts outcomes = new Counts();
        LatencyRecorder latency = new LatencyRecorder();

        progress.printf("Kafka bench %s: %,d transactions to %s %s, decisions from %s%n", traffic.runId(), n,
                Platform.TRANSACTIONS_TOPIC, config.rate() > 0 ? String.format("at %,.0f/s", config.rate()) : "as fast as possible",
                Platform.DECISIONS_TOPIC);
        DecisionStream.Listener listener = (decision, receivedNanos) -> {
            Traffic.Sent sent = traffic.parse(decision.transactionId());
            if (sent == null || sent.path() != Traffic.Path.KAFKA || sent.sequence() >= n) {
                return;
            }
            int i = (int) sent.sequence();
            if (!decidedAt.compareAndSet(i, 0, receivedNanos)) {
                duplicates.increment();
                return;
            }
            long sentNanos = sentAt.get(i);
            latency.record(sentNanos, sentNanos, receivedNanos);
            outcomes.increment(decision.decision());
            decided.increment();
            lastDecision.accumulateAndGet(receivedNanos, Math::max);
        };

        OptionalLong servicePid = platform.fraudServicePid();
        OptionalLong cpuBefore = servicePid.isPresent() ? ProcessCpu.ticks(servicePid.getAsLong()) : OptionalLong.empty();
        long start;
        long producedDone;
        long peak = 0;
        try (DecisionStream stream = new DecisionStream(platform.kafkaBootstrap(), Platform.DECISIONS_TOPIC, listener);
             KafkaProducer<String, String> producer = producer()) {
            start = System.nanoTime();
            Thread sender = new Thread(() -> {
                OpenLoop.Action send = (index, intended, measured) -> {
                    Traffic.Outgoing tx = traffic.next(Traffic.Path.KAFKA);
                    // At a fixed rate, latency counts from when the transaction was due (open loop).
                    sentAt.set((int) tx.sequence(), config.rate() > 0 ? intended : System.nanoTime());
                    producer.send(new ProducerRecord<>(Platform.TRANSACTIONS_TOPIC, tx.cardKey(), tx.json()),
                            (metadata, error) -> {
                                if (error == null) {
                                    produced.increment();
                                } else {
                                    produceErrors.increment();
                                }
                            });
                };
                if (config.rate() > 0) {
                    Duration duration = Duration.ofNanos(Math.round(n * 1e9 / config.rate()));
                    new OpenLoop(config.rate(), Duration.ZERO, duration).run(start, send, () -> false);
                } else {
                    for (int i = 0; i < n; i++) {
                        send.fire(i, System.nanoTime(), true);
                    }
                }
                producer.flush();
            }, "kafka-bench-producer");
            sender.setDaemon(true);
            sender.start();

            long second = 0;
            long previousDecided = 0;
            long lastProgress = System.nanoTime();
            long idleSince = System.nanoTime();
            while (decided.sum() < n) {
                Thread.sleep(1000);
                second++;
                long d = decided.sum();
                long perSecond = Math.round((d - previousDecided) * 1e9 / (System.nanoTime() - lastProgress));
                lastProgress = System.nanoTime();
                peak = Math.max(peak, perSecond);
                if (d > previousDecided || sender.isAlive()) {
                    idleSince = System.nanoTime();
                }
                Histogram interval = latency.interval();
                progress.printf("  %3ds produced %,9d  decided %,9d (%,7d/s)  waiting %,9d  latency p50 %s p99 %s%n",
                        second, produced.sum(), d, perSecond, produced.sum() - d,
                        LatencySummary.format(interval.getValueAtPercentile(50) / 1000.0),
                        LatencySummary.format(interval.getValueAtPercentile(99) / 1000.0));
                previousDecided = d;
                if (System.nanoTime() - idleSince > config.idleTimeout().toNanos()) {
                    progress.printf("  no decision for %ds: counting the %,d undecided as missing%n",
                            config.idleTimeout().toSeconds(), n - d);
                    break;
                }
            }
            sender.join(TimeUnit.SECONDS.toMillis(5));
            producedDone = System.nanoTime();
        }
        OptionalLong cpuAfter = servicePid.isPresent() ? ProcessCpu.ticks(servicePid.getAsLong()) : OptionalLong.empty();
        Double cpuSeconds = cpuBefore.isPresent() && cpuAfter.isPresent()
                ? (cpuAfter.getAsLong() - cpuBefore.getAsLong()) / (double) ProcessCpu.TICKS_PER_SECOND : null;

        long decidedCount = decided.sum();
        double span = Math.max(1e-9, ((decidedCount > 0 ? lastDecision.get() : producedDone) - start) / 1e9);
        long[] sends = new long[n];
        Arrays.setAll(sends, sentAt::get);
        long lastSend = Arrays.stream(sends).max().orElse(start);
        double produceSeconds = Math.max(1e-9, (lastSend - start) / 1e9);
        Histogram histogram = latency.corrected();
        return new Result(traffic.runId(), n, config.rate(), produced.sum(), produceErrors.sum(),
                produced.sum() / produceSeconds, decidedCount, n - decidedCount, duplicates.sum(), outcomes.snapshot(),
                decidedCount / span, peak, cpuSeconds,
                cpuSeconds != null && cpuSeconds > 0 ? decidedCount / cpuSeconds : null,
                LatencySummary.ofMicros(histogram), histogram);
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
