package dev.mlplatform.fraud.scoring;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.decision.DecisionPublisher;
import dev.mlplatform.fraud.decision.DecisionRecord;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.decision.Outcome;
import dev.mlplatform.fraud.decision.RecentDecisions;
import dev.mlplatform.fraud.decision.Source;
import dev.mlplatform.fraud.decision.TransactionDigest;
import dev.mlplatform.fraud.model.ChallengerOutcomes;
import dev.mlplatform.fraud.model.ServingDrift;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From valid, tokenised transactions to stored and announced decisions, the same for REST (a batch
 * of one) and Kafka (a poll's batch): score → one insert that keeps the first decision of each
 * transaction id → publish what was newly stored. A transaction decided before is not decided
 * again: its stored decision is the answer (a replay), and a transaction that reuses a decided id
 * with other content is reported as a conflict.
 */
public final class FraudPipeline {

    private static final Logger log = LoggerFactory.getLogger(FraudPipeline.class);

    /**
     * The answer for one transaction.
     *
     * @param record   the decision in force: new, or the stored one for a replay
     * @param replay   true when the transaction id was decided before
     * @param conflict true when the stored decision is for different transaction content
     */
    public record Result(DecisionRecord record, boolean replay, boolean conflict) {
    }

    private final TransactionScorer scorer;
    private final DecisionStore store;
    private final DecisionPublisher publisher;
    private final RecentDecisions recent;
    private final MeterRegistry meters;
    private final ServingDrift drift;
    private final ChallengerOutcomes challengers;
    private final Map<Source, Timer> latency = new LinkedHashMap<>();
    private final Map<Source, Counter> replays = new LinkedHashMap<>();
    private final Map<String, Counter> decisions = new LinkedHashMap<>();

    public FraudPipeline(TransactionScorer scorer, DecisionStore store, DecisionPublisher publisher,
                         RecentDecisions recent, MeterRegistry meters, ServingDrift drift,
                         ChallengerOutcomes challengers) {
        this.scorer = scorer;
        this.store = store;
        this.publisher = publisher;
        this.recent = recent;
        this.meters = meters;
        this.drift = drift;
        this.challengers = challengers;
        for (Source source : Source.values()) {
            latency.put(source, Timer.builder("fraud.scoring.latency")
                    .description("Time to decide, store and hand over for publishing: one REST transaction or one Kafka batch")
                    .tag("source", source.name().toLowerCase())
                    .publishPercentileHistogram()
                    .register(meters));
        }
        for (Outcome outcome : Outcome.values()) {
            for (boolean degraded : new boolean[] {false, true}) {
                for (Source source : Source.values()) {
                    decisions.put(key(outcome, degraded, source), Counter.builder("fraud.decisions")
                            .description("Decisions made, by outcome, whether degraded (no online features) and path")
                            .tag("outcome", outcome.name())
                            .tag("degraded", Boolean.toString(degraded))
                            .tag("source", source.name().toLowerCase())
                            .register(meters));
                }
            }
        }
        for (Source source : Source.values()) {
            replays.put(source, Counter.builder("fraud.decisions.replayed")
                    .description("Transactions whose id was decided before (a client retry, or on Kafka a transaction "
                            + "that came in by REST): the stored decision stands")
                    .tag("source", source.name().toLowerCase())
                    .register(meters));
        }
    }

    /** One REST transaction. */
    public Result decide(TransactionEvent transaction) {
        return decideAll(List.of(transaction), Source.REST).get(0);
    }

    /**
     * A batch, in input order. REST transactions go straight to scoring (the insert detects a
     * replay); Kafka batches first skip ids already stored, which is every transaction that came in
     * by REST and was forwarded to the topic.
     */
    public List<Result> decideAll(List<TransactionEvent> transactions, Source source) {
        if (transactions.isEmpty()) {
            return List.of();
        }
        Timer.Sample sample = Timer.start(meters);
        Map<String, TransactionEvent> byId = new LinkedHashMap<>();
        for (TransactionEvent tx : transactions) {
            byId.putIfAbsent(tx.transactionId(), tx);
        }
        Map<String, DecisionRecord> known = source == Source.KAFKA ? store.findAll(byId.keySet()) : Map.of();
        List<TransactionEvent> fresh = byId.values().stream().filter(tx -> !known.containsKey(tx.transactionId())).toList();

        List<DecisionRecord> scored = scorer.score(fresh, source);
        Set<String> inserted = store.insertNew(scored);
        Map<String, DecisionRecord> decided = new LinkedHashMap<>(known);
        List<String> lostRace = new ArrayList<>();
        for (DecisionRecord record : scored) {
            if (inserted.contains(record.transactionId())) {
                decided.put(record.transactionId(), record);
                if (source == Source.REST) {
                    recent.add(record.transactionId());
                }
                publisher.publish(record);
                countDecision(record);
                drift.record(record);
                challengers.record(record);
            } else {
                lostRace.add(record.transactionId());
            }
        }
        if (!lostRace.isEmpty()) {
            decided.putAll(store.findAll(lostRace));
        }

        List<Result> results = new ArrayList<>(transactions.size());
        for (TransactionEvent tx : transactions) {
            DecisionRecord record = decided.get(tx.transactionId());
            if (record == null) {
                throw new IllegalStateException("decision of " + tx.transactionId() + " neither stored nor found");
            }
            boolean replay = !inserted.contains(tx.transactionId()) || record.transaction() != tx;
            boolean conflict = replay && !record.requestHash().equals(TransactionDigest.of(tx));
            if (replay) {
                replays.get(source).increment();
            }
            if (conflict) {
                log.warn("transaction id {} reused for different content; the first decision stands", tx.transactionId());
            }
            results.add(new Result(record, replay, conflict));
        }
        sample.stop(latency.get(source));
        return results;
    }

    private void countDecision(DecisionRecord record) {
        decisions.get(key(record.decision().outcome(), record.decision().degraded(), record.source())).increment();
    }

    private static String key(Outcome outcome, boolean degraded, Source source) {
        return outcome.name() + '/' + degraded + '/' + source.name();
    }
}
