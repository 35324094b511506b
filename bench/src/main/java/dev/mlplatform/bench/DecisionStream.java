package dev.mlplatform.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code fraud.decisions.v1} from its current end on a thread of its own and hands each
 * decision, with the time it arrived, to a listener. Reads only committed records, so a decision
 * counts once its producer's transaction commits.
 */
public final class DecisionStream implements AutoCloseable {

    /** Receives decisions on the stream's thread. */
    @FunctionalInterface
    public interface Listener {
        void onDecision(Decision decision, long receivedNanos);
    }

    private final KafkaConsumer<String, String> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final LongAdder unreadable = new LongAdder();
    private final Thread thread;

    /** Subscribes at the topic's current end (so only decisions made from now on arrive) and starts. */
    public DecisionStream(String bootstrap, String topic, Listener listener) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new Platform.NotRunningException("topic " + topic + " does not exist: is the platform up?");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now: anything decided after this constructor returns will be seen.
        partitions.forEach(consumer::position);
        thread = new Thread(() -> {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        Decision decision;
                        try {
                            decision = Decision.parse(record.value());
                        } catch (IllegalArgumentException e) {
                            unreadable.increment();
                            continue;
                        }
                        listener.onDecision(decision, now);
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // close() asked us to stop.
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }, "decision-stream");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records on the topic that were not decisions this tool can read. */
    public long unreadable() {
        return unreadable.sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5000);
    }
}
