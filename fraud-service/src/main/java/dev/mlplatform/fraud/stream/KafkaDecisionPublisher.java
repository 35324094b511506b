package dev.mlplatform.fraud.stream;

import dev.mlplatform.fraud.decision.DecisionMade;
import dev.mlplatform.fraud.decision.DecisionPublisher;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.decision.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends {@link DecisionMade} to the decisions topic (key: card token) and, for transactions that
 * came in by REST, the tokenised transaction to the transactions topic, so that the feature job
 * counts them. The caller only enqueues: a Kafka outage, a full buffer or missing metadata never
 * blocks or fails a decision. Each record whose sends the broker acknowledged is marked published in
 * the store in batches; whatever is not (queue full, broker down, process killed) is sent again by
 * {@link OutboxRelay}, so events are delivered at least once.
 */
public final class KafkaDecisionPublisher implements DecisionPublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaDecisionPublisher.class);

    /**
     * On a transaction this service forwards after deciding it over REST: its transaction id, so
     * that the consumer can skip it without parsing it or asking the database.
     */
    public static final String DECIDED_HEADER = "fraud-decided";

    private final KafkaOperations<String, byte[]> kafka;
    private final String transactionsTopic;
    private final String decisionsTopic;
    private final DecisionStore store;
    private final JsonMapper json;
    private final ThreadPoolExecutor sender;
    private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    private final Counter sent;
    private final Counter failed;
    private final Counter deferred;

    public KafkaDecisionPublisher(KafkaOperations<String, byte[]> kafka, String transactionsTopic,
                                  String decisionsTopic, DecisionStore store, JsonMapper json, int queueCapacity,
                                  MeterRegistry meters) {
        this.kafka = kafka;
        this.transactionsTopic = transactionsTopic;
        this.decisionsTopic = decisionsTopic;
        this.store = store;
        this.json = json;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "fraud-decision-publisher");
                    thread.setDaemon(true);
                    return thread;
                });
        this.sent = Counter.builder("fraud.publish.events").tag("result", "sent")
                .description("Decisions whose events the broker acknowledged, or that failed or were deferred to the outbox relay")
                .register(meters);
        this.failed = Counter.builder("fraud.publish.events").tag("result", "failed").register(meters);
        this.deferred = Counter.builder("fraud.publish.events").tag("result", "deferred").register(meters);
        Gauge.builder("fraud.publish.queue", sender, executor -> executor.getQueue().size())
                .description("Decisions waiting to be handed to the Kafka producer")
                .register(meters);
    }

    @Override
    public void publish(DecisionRecord record) {
        try {
            sender.execute(() -> send(record));
        } catch (RejectedExecutionException e) {
            // Full (Kafka slow or down): the outbox relay sends it once the broker keeps up again.
            deferred.increment();
        }
    }

    private void send(DecisionRecord record) {
        String key = record.transaction().cardToken();
        try {
            CompletableFuture<?> decision = kafka.send(decisionsTopic, key,
                    json.writeValueAsBytes(DecisionMade.of(record)));
            CompletableFuture<?> transaction = record.source() == Source.REST
                    ? kafka.send(forwarded(key, record))
                    : CompletableFuture.completedFuture(null);
            CompletableFuture.allOf(decision, transaction).whenComplete((ok, error) -> {
                if (error == null) {
                    sent.increment();
                    acknowledged.add(record.transactionId());
                } else {
                    failed.increment();
                    log.warn("decision event of {} not delivered, the outbox relay will resend it: {}",
                            record.transactionId(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("decision event of {} not sent, the outbox relay will resend it: {}", record.transactionId(),
                    e.toString());
        }
    }

    /** The tokenised transaction for the feature job, marked as decided by this service (header {@value #DECIDED_HEADER}). */
    private ProducerRecord<String, byte[]> forwarded(String key, DecisionRecord record) {
        ProducerRecord<String, byte[]> forward = new ProducerRecord<>(transactionsTopic, key,
                json.writeValueAsBytes(record.transaction()));
        forward.headers().add(DECIDED_HEADER, record.transactionId().getBytes(StandardCharsets.UTF_8));
        return forward;
    }

    /** Marks what the broker acknowledged since the last call as published; returns how many. */
    public int flushAcknowledged() {
        List<String> ids = new ArrayList<>();
        for (String id = acknowledged.poll(); id != null && ids.size() < 10_000; id = acknowledged.poll()) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try {
            store.markPublished(ids);
        } catch (RuntimeException e) {
            // Unmarked means sent again later: harmless for consumers that key on the transaction id.
            log.warn("cannot mark {} decisions published: {}", ids.size(), e.toString());
        }
        return ids.size();
    }

    /** Decisions waiting in the queue. */
    public int pending() {
        return sender.getQueue().size();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                sender.shutdownNow();
            }
            kafka.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("flushing decision events on shutdown failed: {}", e.toString());
        }
        flushAcknowledged();
    }
}
