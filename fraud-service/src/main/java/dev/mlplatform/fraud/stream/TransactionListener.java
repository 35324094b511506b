package dev.mlplatform.fraud.stream;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.decision.Source;
import dev.mlplatform.fraud.scoring.FraudPipeline;
import dev.mlplatform.fraud.scoring.InvalidTransactionException;
import dev.mlplatform.fraud.scoring.TransactionIntake;
import dev.mlplatform.fraud.decision.RecentDecisions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Decides the transactions of {@code fraud.transactions.v1}, a poll's batch at a time: one feature
 * read, one model run and one insert per batch. Offsets are committed after the batch's decisions
 * are stored (a kill loses nothing; the redelivered records find their decisions and are skipped).
 * A record that cannot be decided (bad JSON, failing validation) is reported by index after the
 * valid ones are stored; the error handler sends it to the dead-letter topic and goes on.
 * Transactions this process forwarded after a REST decision are skipped unread when it remembers
 * them; any other already-decided transaction is found in the store and skipped there.
 */
@Component
public class TransactionListener {

    /** The listener container's id, to start it once a model serves. */
    public static final String ID = "fraud-transactions";
    private static final Logger log = LoggerFactory.getLogger(TransactionListener.class);

    private final TransactionIntake intake;
    private final FraudPipeline pipeline;
    private final RecentDecisions recent;

    TransactionListener(TransactionIntake intake, FraudPipeline pipeline, RecentDecisions recent) {
        this.intake = intake;
        this.pipeline = pipeline;
        this.recent = recent;
    }

    /** Forwarded by this process after a REST decision it still remembers: stored, nothing to do. */
    private boolean decidedHere(ConsumerRecord<String, byte[]> record) {
        Header decided = record.headers().lastHeader(KafkaDecisionPublisher.DECIDED_HEADER);
        return decided != null && recent.contains(new String(decided.value(), StandardCharsets.UTF_8));
    }

    @KafkaListener(id = ID, topics = "${fraud.topics.transactions:fraud.transactions.v1}",
            groupId = "${fraud.topics.group:fraud-service}", batch = "true", autoStartup = "false",
            concurrency = "${fraud.topics.concurrency:1}")
    void onTransactions(List<ConsumerRecord<String, byte[]>> records) {
        List<TransactionEvent> valid = new ArrayList<>(records.size());
        int firstInvalid = -1;
        InvalidTransactionException invalid = null;
        for (int i = 0; i < records.size(); i++) {
            if (decidedHere(records.get(i))) {
                continue;
            }
            try {
                valid.add(intake.acceptJson(records.get(i).value()));
            } catch (InvalidTransactionException e) {
                if (firstInvalid < 0) {
                    firstInvalid = i;
                    invalid = e;
                }
            }
        }
        pipeline.decideAll(valid, Source.KAFKA);
        if (invalid != null) {
            ConsumerRecord<String, byte[]> bad = records.get(firstInvalid);
            log.warn("transaction record {}-{}@{} cannot be decided ({}); sending it to the dead-letter topic",
                    bad.topic(), bad.partition(), bad.offset(), invalid.getMessage());
            throw new BatchListenerFailedException("invalid transaction record: "
                    + invalid.getMessage(), invalid, firstInvalid);
        }
    }
}
