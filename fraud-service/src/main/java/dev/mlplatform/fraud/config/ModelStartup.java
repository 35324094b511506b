package dev.mlplatform.fraud.config;

import dev.mlplatform.fraud.model.FraudModelManager;
import dev.mlplatform.fraud.model.ModelRollout;
import dev.mlplatform.fraud.stream.TransactionListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Loads (or on first start trains) the model in the background once the context is up, so that
 * health and metrics answer meanwhile and readiness says why traffic is refused; then starts the
 * Kafka consumer. A failure (registry unreachable) is retried until it succeeds or the service stops.
 */
@Component
class ModelStartup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelStartup.class);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final FraudModelManager models;
    private final ModelRollout rollout;
    private final KafkaListenerEndpointRegistry listeners;
    private final boolean consume;
    private volatile Thread worker;

    ModelStartup(FraudModelManager models, ModelRollout rollout, KafkaListenerEndpointRegistry listeners,
                 FraudProperties properties) {
        this.models = models;
        this.rollout = rollout;
        this.listeners = listeners;
        this.consume = properties.topics().consume();
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::loadThenConsume, "fraud-model-startup");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    private void loadThenConsume() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                models.ensureServing();
                break;
            } catch (RuntimeException e) {
                log.error("cannot load or train the fraud model, retrying in {} s: {}", RETRY.toSeconds(), e.toString(), e);
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        // Canary and shadow before the Kafka consumer starts: a restart's backlog is routed as before it.
        try {
            rollout.refresh();
        } catch (RuntimeException e) {
            log.warn("cannot load the canary or shadow model yet (retried with the registry poll): {}", e.toString());
        }
        MessageListenerContainer container = listeners.getListenerContainer(TransactionListener.ID);
        if (consume && container != null) {
            container.start();
            log.info("consuming transactions from Kafka");
        }
    }

    @Override
    public void stop() {
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }

    /** After the web server and the listener containers. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
