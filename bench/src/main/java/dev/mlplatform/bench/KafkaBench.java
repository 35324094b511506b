package dev.mlplatform.bench;

import dev.mlplatform.core.cli.CommandOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
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
     * @param count       transactions to send (with a burst: as many as its phases take)
     * @param rate        transactions per second, or 0 for as fast as the producer goes
     * @param idleTimeout how long to wait for the next decision before counting the rest as missing
     * @param customers   simulated cards
     * @param burst       a burst in the middle of a constant-rate run, or null
     */
    public record Config(long count, double rate, Duration idleTimeout, long seed, int customers, Burst burst) {

        public Config {
            if (burst != null && !(rate > 0)) {
                throw new CommandOptions.UsageException("a burst needs a base --rate");
            }
        }

        /** A constant-rate (or as fast as possible) run of {@code count} transactions. */
        public Config(long count, double rate, Duration idleTimeout, long seed, int customers) {
            this(count, rate, idleTimeout, seed, customers, null);
        }

        /** The base rate for {@code before}, {@code factor} times it for {@code during}, the base rate for {@code after}. */
        public static Config burst(double rate, Burst burst, Duration idleTimeout, long seed, int customers) {
            Config config = new Config(0, rate, idleTimeout, seed, customers, burst);
            long count = config.phases().stream()
                    .mapToLong(phase -> new OpenLoop(phase.rate(), Duration.ZERO, phase.duration()).totalCalls()).sum();
            return new Config(count, rate, idleTimeout, seed, customers, burst);
        }

        /** The constant-rate phases to send, in order; empty when sending as fast as possible. */
        List<Phase> phases() {
            if (burst != null) {
                return List.of(new Phase(rate, burst.before()), new Phase(rate * burst.factor(), burst.during()),
                        new Phase(rate, burst.after()));
            }
            return rate > 0 ? List.of(new Phase(rate, Duration.ofNanos(Math.round(count * 1e9 / rate)))) : List.of();
        }
    }

    /** {@code factor} times the base rate for {@code during}, between {@code before} and {@code after} at the base rate. */
    public record Burst(double factor, Duration before, Duration during, Duration after) {

        public Burst {
            if (!(factor > 1)) {
                throw new CommandOptions.UsageException("--burst-factor must be greater than 1");
            }
            if (before.isZero() || during.isZero() || after.isZero()) {
                throw new CommandOptions.UsageException("--before, --burst and --after must be longer than 0");
            }
        }

        long startSecond() {
            return before.toSeconds();
        }

        long endSecond() {
            return before.plus(during).toSeconds();
        }
    }

    record Phase(double rate, Duration duration) {
    }

    /** How long latency must stay at its pre-burst level to count as recovered. */
    static final int STEADY_SECONDS = 10;

    /**
     * One second of the run.
     *
     * @param second      seconds since the first send
     * @param sent        transactions due in this second
     * @param p99Ms       99th percentile latency of the transactions due in this second (null: none decided)
     * @param backlog     produced but not yet decided at the end of this second (wall clock)
     */
    public record Second(long second, long sent, Double p99Ms, long backlog) {
    }

    /**
     * How the run took the burst.
     *
     * @param baselineP99Ms            the highest per-second p99 before the burst, after its first third
     * @param peakBacklog              the most transactions waiting at once
     * @param drainedAfterSeconds      from the end of the burst until less than one second of base-rate work
     *                                 waited (null: never within the run)
     * @param p99RecoveredAfterSeconds from the end of the burst until the per-second p99 stays within the
     *                                 baseline for {@value #STEADY_SECONDS} seconds in a row (null: never)
     */
    public record BurstRecovery(double baselineP99Ms, long peakBacklog, Long drainedAfterSeconds,
                                Long p99RecoveredAfterSeconds) {
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
                         Histogram histogram, List<Second> seconds, BurstRecovery burst) {
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
            throw new CommandOptions.UsageException("--count must be at most " + (Integer.MAX_VALUE - 8));
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
        Map<Long, Histogram> latencyBySendSecond = new ConcurrentHashMap<>();
        Map<Long, Long> backlogBySecond = new ConcurrentHashMap<>();
        AtomicLong startNanos = new AtomicLong();

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
            Histogram ofSecond = latencyBySendSecond.computeIfAbsent((sentNanos - startNanos.get()) / 1_000_000_000L,
                    second -> new Histogram(3_600_000_000L, 2));
            synchronized (ofSecond) {
                ofSecond.recordValue(Math.min(3_600_000_000L, Math.max(1, (receivedNanos - sentNanos) / 1000)));
            }
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
            startNanos.set(start);
            List<Phase> phases = config.phases();
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
                if (!phases.isEmpty()) {
                    long phaseStart = start;
                    for (Phase phase : phases) {
                        new OpenLoop(phase.rate(), Duration.ZERO, phase.duration()).run(phaseStart, send,
                                () -> false);
                        phaseStart += phase.duration().toNanos();
                    }
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
                backlogBySecond.put(second, produced.sum() - d);
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
        List<Second> seconds = seconds(sends, start, latencyBySendSecond, backlogBySecond);
        return new Result(traffic.runId(), n, config.rate(), produced.sum(), produceErrors.sum(),
                produced.sum() / produceSeconds, decidedCount, n - decidedCount, duplicates.sum(), outcomes.snapshot(),
                decidedCount / span, peak, cpuSeconds,
                cpuSeconds != null && cpuSeconds > 0 ? decidedCount / cpuSeconds : null,
                LatencySummary.ofMicros(histogram), histogram, seconds,
                config.burst() == null ? null : recovery(config.burst(), config.rate(), seconds));
    }

    private static List<Second> seconds(long[] sends, long start, Map<Long, Histogram> latencyBySendSecond,
                                        Map<Long, Long> backlogBySecond) {
        Map<Long, Long> sentBySecond = new TreeMap<>();
        for (long sent : sends) {
            if (sent != 0) {
                sentBySecond.merge((sent - start) / 1_000_000_000L, 1L, Long::sum);
            }
        }
        long last = Math.max(sentBySecond.keySet().stream().max(Long::compare).orElse(0L),
                backlogBySecond.keySet().stream().max(Long::compare).orElse(0L));
        List<Second> seconds = new ArrayList<>();
        for (long second = 0; second <= last; second++) {
            Histogram latency = latencyBySendSecond.get(second);
            seconds.add(new Second(second, sentBySecond.getOrDefault(second, 0L),
                    latency == null || latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(99) / 1000.0,
                    backlogBySecond.getOrDefault(second + 1, 0L)));
        }
        return seconds;
    }

    static BurstRecovery recovery(Burst burst, double baseRate, List<Second> seconds) {
        long burstStart = burst.startSecond();
        long burstEnd = burst.endSecond();
        // Steady state, spikes included: the highest per-second p99 before the burst, once its first third warmed up.
        double baselineP99 = seconds.stream()
                .filter(s -> s.second() >= burstStart / 3 && s.second() < burstStart && s.p99Ms() != null)
                .mapToDouble(Second::p99Ms).max().orElse(0);
        long peakBacklog = seconds.stream().mapToLong(Second::backlog).max().orElse(0);
        Long drained = seconds.stream().filter(s -> s.second() >= burstEnd && s.backlog() <= baseRate)
                .map(s -> s.second() - burstEnd).findFirst().orElse(null);
        Long recovered = null;
        for (int i = 0; i < seconds.size() && recovered == null; i++) {
            if (seconds.get(i).second() >= burstEnd && steady(seconds, i, baselineP99)) {
                recovered = seconds.get(i).second() - burstEnd;
            }
        }
        return new BurstRecovery(baselineP99, peakBacklog, drained, recovered);
    }

    /** Whether the {@value #STEADY_SECONDS} seconds from {@code from} on all stay within the baseline p99. */
    private static boolean steady(List<Second> seconds, int from, double baselineP99) {
        if (from + STEADY_SECONDS > seconds.size()) {
            return false;
        }
        for (int i = from; i < from + STEADY_SECONDS; i++) {
            Double p99 = seconds.get(i).p99Ms();
            if (p99 != null && p99 > baselineP99) {
                return false;
            }
        }
        return true;
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
