package dev.mlplatform.bench;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./platform demo}: simulated card traffic through both ways in, half to the gateway's
 * {@code POST /api/fraud/v1/score}, half to {@code fraud.transactions.v1}; decisions printed live as
 * they appear on {@code fraud.decisions.v1} (a few lines a second, so the console stays readable),
 * then a summary: decisions by path, errors, latency percentiles of both paths.
 */
public final class Demo {

    /** What to run. */
    public record Config(double rate, Duration duration, double linesPerSecond, Duration drain, long seed) {
    }

    /** Decisions, errors and latency of one way in. */
    public record PathSummary(long sent, long decided, Map<String, Long> decisions, Map<String, Long> errors,
                              long fraudSent, long fraudFlagged, long missing, LatencySummary latency) {
    }

    /** The whole run. */
    public record Summary(String runId, double durationSeconds, PathSummary rest, PathSummary kafka,
                          long restDecisionsPublished) {
    }

    private record Sent(Traffic.Path path, String customerId, String merchantId, BigDecimal amount, String currency,
                        String channel, boolean fraud, long intendedNanos) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Platform platform;
    private final Config config;
    private final PrintStream out;
    private final Clock clock;

    private final Map<Long, Sent> sent = new ConcurrentHashMap<>();
    private final Map<Traffic.Path, Counts> decisions = new EnumMap<>(Traffic.Path.class);
    private final Map<Traffic.Path, Counts> errors = new EnumMap<>(Traffic.Path.class);
    private final Map<Traffic.Path, LongAdder> sentCount = new EnumMap<>(Traffic.Path.class);
    private final Map<Traffic.Path, LongAdder> fraudSent = new EnumMap<>(Traffic.Path.class);
    private final Map<Traffic.Path, LongAdder> fraudFlagged = new EnumMap<>(Traffic.Path.class);
    private final Map<Traffic.Path, LatencyRecorder> latency = new EnumMap<>(Traffic.Path.class);
    private final Map<Long, Boolean> kafkaDecided = new ConcurrentHashMap<>();
    private final LongAdder restPublished = new LongAdder();
    private final LineLimiter lines;

    public Demo(Platform platform, Config config, PrintStream out, Clock clock) {
        this.platform = platform;
        this.config = config;
        this.out = out;
        this.clock = clock;
        this.lines = new LineLimiter(config.linesPerSecond());
        for (Traffic.Path path : Traffic.Path.values()) {
            decisions.put(path, new Counts());
            errors.put(path, new Counts());
            sentCount.put(path, new LongAdder());
            fraudSent.put(path, new LongAdder());
            fraudFlagged.put(path, new LongAdder());
            latency.put(path, new LatencyRecorder());
        }
    }

    public Summary run() throws InterruptedException {
        try (Traffic traffic = new Traffic(Traffic.newRunId("demo", clock.instant()), config.seed(), clock)) {
            return run(traffic);
        }
    }

    private Summary run(Traffic traffic) throws InterruptedException {
        out.printf("Demo %s: %,.0f transactions/s for %ds, half through the gateway (%s), half through Kafka (%s)%n",
                traffic.runId(), config.rate(), config.duration().toSeconds(),
                platform.gateway().resolve(Platform.SCORE_PATH), Platform.TRANSACTIONS_TOPIC);
        out.printf("Decisions from %s, at most %.0f lines a second:%n", Platform.DECISIONS_TOPIC, config.linesPerSecond());
        AtomicBoolean stop = new AtomicBoolean();
        URI endpoint = platform.gateway().resolve(Platform.SCORE_PATH);
        Map<String, String> headers = Map.of("Accept", "application/json", "X-API-Key", platform.apiKey());
        OpenLoop loop = new OpenLoop(config.rate(), Duration.ZERO, config.duration());

        try (DecisionStream stream = new DecisionStream(platform.kafkaBootstrap(), Platform.DECISIONS_TOPIC,
                (decision, receivedNanos) -> onTopicDecision(traffic, decision, receivedNanos));
             KafkaProducer<String, String> producer = producer();
             RequestPool pool = new RequestPool(endpoint, 8, Duration.ofSeconds(10), 10_000)) {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            Thread sender = new Thread(() -> loop.run(start, (index, intended, measured) -> {
                Traffic.Path path = index % 2 == 0 ? Traffic.Path.KAFKA : Traffic.Path.REST;
                Traffic.Outgoing tx = traffic.next(path);
                Sent info = new Sent(path, tx.event().customerId(), tx.event().merchantId(), tx.event().amount(),
                        tx.event().currency(), tx.event().channel(), tx.fraud(), intended);
                sent.put(tx.sequence(), info);
                sentCount.get(path).increment();
                if (tx.fraud()) {
                    fraudSent.get(path).increment();
                }
                if (path == Traffic.Path.KAFKA) {
                    producer.send(new ProducerRecord<>(Platform.TRANSACTIONS_TOPIC, tx.cardKey(), tx.json()),
                            (metadata, error) -> {
                                if (error != null) {
                                    errors.get(path).increment(error.getClass().getSimpleName());
                                    printLimited(String.format("%s kafka  send failed: %s", now(), error.getMessage()));
                                }
                            });
                } else {
                    byte[] request = Http1Connection.post(endpoint, "application/json", headers,
                            tx.json().getBytes(StandardCharsets.UTF_8));
                    if (!pool.submit(request, outcome -> onRestAnswer(tx, info, outcome))) {
                        errors.get(path).increment("not sent: too many waiting");
                    }
                }
            }, stop::get), "demo-sender");
            sender.setDaemon(true);
            sender.start();
            sender.join();
            producer.flush();
            // Let the last decisions arrive.
            long deadline = System.nanoTime() + config.drain().toNanos();
            while (System.nanoTime() < deadline && (pool.active() > 0 || pool.waiting() > 0
                    || kafkaDecided.size() < sentCount.get(Traffic.Path.KAFKA).sum())) {
                Thread.sleep(50);
            }
            lines.flush(out);
        }
        return summary(traffic);
    }

    private void onRestAnswer(Traffic.Outgoing tx, Sent info, RequestPool.Outcome outcome) {
        Counts pathErrors = errors.get(Traffic.Path.REST);
        if (outcome.error() != null) {
            pathErrors.increment(outcome.error());
            printLimited(String.format("%s rest   %-26s error %s", now(), tx.event().transactionId(), outcome.error()));
            return;
        }
        if (outcome.status() != 200) {
            pathErrors.increment("HTTP " + outcome.status());
            printLimited(String.format("%s rest   %-26s HTTP %d %s", now(), tx.event().transactionId(), outcome.status(),
                    abbreviate(outcome.body())));
            return;
        }
        Decision decision;
        try {
            decision = Decision.parse(outcome.body());
        } catch (IllegalArgumentException e) {
            pathErrors.increment("unreadable answer");
            return;
        }
        latency.get(Traffic.Path.REST).record(info.intendedNanos(), outcome.sentNanos(), outcome.doneNanos());
        count(Traffic.Path.REST, info, decision);
    }

    private void onTopicDecision(Traffic traffic, Decision decision, long receivedNanos) {
        Traffic.Sent which = traffic.parse(decision.transactionId());
        if (which == null) {
            return;
        }
        Sent info = sent.get(which.sequence());
        if (info == null) {
            return;
        }
        double ms = (receivedNanos - info.intendedNanos()) / 1e6;
        if (which.path() == Traffic.Path.REST) {
            restPublished.increment();
        } else if (kafkaDecided.putIfAbsent(which.sequence(), Boolean.TRUE) == null) {
            latency.get(Traffic.Path.KAFKA).record(info.intendedNanos(), info.intendedNanos(), receivedNanos);
            count(Traffic.Path.KAFKA, info, decision);
        }
        printLimited(line(which.path(), decision, info, ms));
    }

    private void count(Traffic.Path path, Sent info, Decision decision) {
        decisions.get(path).increment(decision.decision());
        if (info.fraud() && !"APPROVE".equals(decision.decision())) {
            fraudFlagged.get(path).increment();
        }
    }

    /** {@code 10:15:31.204 kafka  DECLINE 0.91  cust-12  m-40  231.50 EUR ecommerce  23 ms  simulated fraud  [velocity]}. */
    static String line(Traffic.Path path, Decision decision, SentView info, double latencyMs) {
        return String.format("%s %-6s %-7s %s  %-10s %-7s %9s %s %-11s %6s%s%s", now(),
                path.name().toLowerCase(java.util.Locale.ROOT), decision.decision(),
                Double.isNaN(decision.riskScore()) ? "  -  " : String.format("%.3f", decision.riskScore()),
                info.customerId(), info.merchantId(), info.amount().toPlainString(), info.currency(),
                info.channel() == null ? "" : info.channel(), LatencySummary.format(latencyMs),
                info.fraud() ? "  simulated fraud" : "",
                decision.reasons().isEmpty() ? "" : "  " + decision.reasons());
    }

    private String line(Traffic.Path path, Decision decision, Sent info, double latencyMs) {
        return line(path, decision, new SentView(info.customerId(), info.merchantId(), info.amount(), info.currency(),
                info.channel(), info.fraud()), latencyMs);
    }

    /** What a decision line shows of the transaction. */
    record SentView(String customerId, String merchantId, BigDecimal amount, String currency, String channel,
                    boolean fraud) {
    }

    private void printLimited(String line) {
        lines.offer(line, out);
    }

    private Summary summary(Traffic traffic) {
        return new Summary(traffic.runId(), config.duration().toNanos() / 1e9, pathSummary(Traffic.Path.REST),
                pathSummary(Traffic.Path.KAFKA), restPublished.sum());
    }

    private PathSummary pathSummary(Traffic.Path path) {
        long sentN = sentCount.get(path).sum();
        long decided = decisions.get(path).total();
        long errorsN = errors.get(path).total();
        return new PathSummary(sentN, decided, decisions.get(path).snapshot(), errors.get(path).snapshot(),
                fraudSent.get(path).sum(), fraudFlagged.get(path).sum(), Math.max(0, sentN - decided - errorsN),
                LatencySummary.ofMicros(latency.get(path).corrected()));
    }

    /** The human summary of a run. */
    static List<String> describe(Summary s) {
        Map<String, PathSummary> paths = new LinkedHashMap<>();
        paths.put("REST (gateway)", s.rest());
        paths.put("Kafka", s.kafka());
        List<String> text = new java.util.ArrayList<>();
        text.add(String.format("Summary of %s: %,d transactions in %.0f s", s.runId(),
                s.rest().sent() + s.kafka().sent(), s.durationSeconds()));
        paths.forEach((name, p) -> {
            text.add(String.format("  %-15s sent %,6d  decided %,6d  %s", name, p.sent(), p.decided(),
                    p.decisions().isEmpty() ? "" : p.decisions().toString()));
            text.add(String.format("  %-15s simulated fraud %d, flagged (REVIEW or DECLINE) %d", "", p.fraudSent(),
                    p.fraudFlagged()));
            text.add(String.format("  %-15s errors %s%s", "", p.errors().isEmpty() ? "none" : p.errors().toString(),
                    p.missing() > 0 ? String.format(", %,d without a decision", p.missing()) : ""));
            LatencySummary l = p.latency();
            text.add(String.format("  %-15s latency %s  p50 %s  p95 %s  p99 %s  max %s", "",
                    name.startsWith("REST") ? "(send to answer)       " : "(send to decision event)",
                    LatencySummary.format(l.p50Ms()), LatencySummary.format(l.p95Ms()),
                    LatencySummary.format(l.p99Ms()), LatencySummary.format(l.maxMs())));
        });
        text.add(String.format("  REST decisions also published on %s: %,d of %,d", Platform.DECISIONS_TOPIC,
                s.restDecisionsPublished(), s.rest().decided()));
        return text;
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static String now() {
        return LocalTime.now(ZoneId.systemDefault()).format(TIME);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 97) + "...";
    }
}
