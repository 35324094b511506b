package dev.mlplatform.bench;

import dev.mlplatform.core.events.CardTokenizer;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.simulators.fraud.LabelledTransaction;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import dev.mlplatform.simulators.fraud.TransactionSimulator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Realistic transactions from the project's simulator, made fit to send now: each gets the current
 * time as its timestamp and an id unique to this run ({@code <run>-<path>-<sequence>}), so that a rerun
 * never collides with decisions already stored. {@link #next} is for one sender thread; a thread of
 * its own runs the simulator ahead of it.
 */
public final class Traffic implements AutoCloseable {

    /** Where a transaction is sent. */
    public enum Path {
        REST("r"), KAFKA("k");

        private final String tag;

        Path(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** A transaction ready to send: the event, its JSON, the Kafka key, and whether the simulator made it fraud. */
    public record Outgoing(TransactionEvent event, String json, String cardKey, boolean fraud, long sequence) {
    }

    /** Clients send no nulls: absent fields stay absent, as in the API's own example. */
    private static final JsonMapper JSON = EventJson.MAPPER.rebuild()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final String runId;
    private final BlockingQueue<LabelledTransaction> ahead = new ArrayBlockingQueue<>(20_000);
    private final Thread generator;
    private final CardTokenizer tokenizer;
    private final Clock clock;
    private long sequence;

    /** A population of 5,000 cards: about 10,000 transactions per simulated day. */
    public Traffic(String runId, long seed, Clock clock) {
        this(runId, seed, clock, 5_000);
    }

    /**
     * A population of {@code customers} cards (about two transactions a day each) and one terminal per
     * five cards. Every transaction is stamped now, so a run at N transactions/s sees each card about
     * N / customers times a second: a population too small for the rate turns every card into a
     * velocity alarm.
     */
    public Traffic(String runId, long seed, Clock clock, int customers) {
        this.runId = runId;
        this.clock = clock;
        SimulationConfig config = SimulationConfig.of(customers, Math.max(1_000, customers / 5),
                LocalDate.of(2026, 1, 1), seed);
        Iterator<LabelledTransaction> stream = new TransactionSimulator(config).stream();
        this.tokenizer = CardTokenizer.fromEnvironment();
        // The simulator makes a whole day at a time: a thread of its own keeps that pause off the sender's schedule.
        this.generator = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    ahead.put(stream.next());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "traffic-generator");
        generator.setDaemon(true);
        generator.start();
    }

    @Override
    public void close() {
        generator.interrupt();
    }

    /** A run id such as {@code bench-20261126T101530-3fa2}: the kind, the UTC start time, four random hex digits. */
    public static String newRunId(String kind, Instant now) {
        byte[] random = new byte[2];
        new SecureRandom().nextBytes(random);
        return kind + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(now)
                + "-" + HexFormat.of().formatHex(random);
    }

    public String runId() {
        return runId;
    }

    /** The next simulated transaction, stamped now, with an id naming this run and {@code path}. */
    public Outgoing next(Path path) {
        LabelledTransaction labelled;
        try {
            labelled = ahead.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the simulator", e);
        }
        TransactionEvent t = labelled.transaction();
        long seq = sequence++;
        TransactionEvent event = new TransactionEvent(transactionId(path, seq), t.cardNumber(), null,
                t.customerId(), t.merchantId(), t.terminalId(), t.mcc(), t.amount(), t.currency(),
                clock.instant(), t.channel(), t.deviceId(), t.ip(), t.location(), t.country());
        // The topic is keyed by card, with the token: a raw card number never becomes a Kafka key.
        String key = tokenizer.tokenize(t.cardNumber());
        return new Outgoing(event, JSON.writeValueAsString(event), key, labelled.fraud(), seq);
    }

    /** {@code <run>-<path tag>-<sequence>}. */
    public String transactionId(Path path, long seq) {
        return runId + "-" + path.tag() + "-" + seq;
    }

    /** The path and sequence of one of this run's transaction ids, or null if the id is not from this run. */
    public Sent parse(String transactionId) {
        if (transactionId == null || !transactionId.startsWith(runId + "-") || transactionId.length() < runId.length() + 4) {
            return null;
        }
        String rest = transactionId.substring(runId.length() + 1);
        int dash = rest.indexOf('-');
        if (dash < 0) {
            return null;
        }
        Path path = switch (rest.substring(0, dash)) {
            case "r" -> Path.REST;
            case "k" -> Path.KAFKA;
            default -> null;
        };
        if (path == null) {
            return null;
        }
        try {
            return new Sent(path, Long.parseLong(rest.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Which path a transaction of this run took, and its sequence number. */
    public record Sent(Path path, long sequence) {
    }
}
