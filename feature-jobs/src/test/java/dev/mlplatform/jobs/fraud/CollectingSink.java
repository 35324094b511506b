package dev.mlplatform.jobs.fraud;

import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for MiniCluster tests: every parallel writer adds what it receives to one queue in this JVM,
 * which the test reads while the job runs or after it ended. Flink serializes the sink itself, so the
 * queue is found again through a static registry by the sink's id.
 */
final class CollectingSink<T> implements Sink<T> {

    private static final Map<String, Queue<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    CollectingSink() {
        RECEIVED.put(id, new ConcurrentLinkedQueue<>());
    }

    /** A collecting sink for each view the job writes, in place of the feature store. */
    static Map<FeatureView, CollectingSink<FeatureRow>> forEachView() {
        Map<FeatureView, CollectingSink<FeatureRow>> sinks = new LinkedHashMap<>();
        for (FeatureView view : FraudFeatureJob.VIEWS) {
            sinks.put(view, new CollectingSink<>());
        }
        return sinks;
    }

    /** What the writers received so far, in the order of arrival (across writers: interleaved). */
    @SuppressWarnings("unchecked")
    List<T> received() {
        return (List<T>) List.copyOf(RECEIVED.get(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> queue = RECEIVED.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
