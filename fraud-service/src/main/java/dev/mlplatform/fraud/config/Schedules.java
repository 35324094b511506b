package dev.mlplatform.fraud.config;

import dev.mlplatform.fraud.model.ModelRollout;
import dev.mlplatform.fraud.model.ServingModel;
import dev.mlplatform.fraud.rules.JdbcRuleRepository;
import dev.mlplatform.fraud.rules.RuleBook;
import dev.mlplatform.fraud.stream.KafkaDecisionPublisher;
import dev.mlplatform.fraud.stream.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The service's periodic work: rules reload, outbox bookkeeping, following model promotions. */
@Component
class Schedules {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final RuleBook rules;
    private final JdbcRuleRepository ruleRows;
    private final KafkaDecisionPublisher publisher;
    private final OutboxRelay relay;
    private final ModelRollout models;
    private final ServingModel serving;

    Schedules(RuleBook rules, JdbcRuleRepository ruleRows, KafkaDecisionPublisher publisher, OutboxRelay relay,
              ModelRollout models, ServingModel serving) {
        this.rules = rules;
        this.ruleRows = ruleRows;
        this.publisher = publisher;
        this.relay = relay;
        this.models = models;
        this.serving = serving;
        reloadRules();
    }

    /** Rules are rows: changes apply within one interval, without a restart. */
    @Scheduled(fixedDelayString = "${fraud.rules.reload-interval:5s}")
    void reloadRules() {
        try {
            rules.replace(ruleRows.all());
        } catch (RuntimeException e) {
            log.warn("cannot reload rules, keeping the {} in force: {}", rules.current().size(), e.getMessage());
        }
    }

    @Scheduled(fixedDelay = 200)
    void markPublished() {
        publisher.flushAcknowledged();
    }

    @Scheduled(fixedDelay = 10_000, initialDelay = 30_000)
    void resendUnpublished() {
        try {
            relay.resend();
        } catch (RuntimeException e) {
            log.warn("outbox relay failed: {}", e.getMessage());
        }
    }

    /** Follows promotions, rollbacks, canary and shadow changes made in the registry by anyone (blue-green swap). */
    @Scheduled(fixedDelay = 15_000, initialDelay = 15_000)
    void followRegistry() {
        if (serving.version() == null) {
            return;
        }
        try {
            models.refresh();
        } catch (RuntimeException e) {
            log.warn("cannot check the registry for new production, canary or shadow models: {}", e.getMessage());
        }
    }
}
