package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.jobs.common.InterceptedMetrics;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * An opened operator test harness around one of the job's keyed functions that, unlike
 * {@link org.apache.flink.streaming.util.ProcessFunctionTestHarnesses}, keeps the metrics the function
 * registers for the test to read.
 */
final class KeyedFunctionHarness<OUT> implements AutoCloseable {

    final KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, OUT> harness;
    private final InterceptedMetrics metrics = new InterceptedMetrics();

    private KeyedFunctionHarness(KeyedProcessFunction<String, TransactionEvent, OUT> function,
                                 KeySelector<TransactionEvent, String> key, OperatorSubtaskState restoreFrom)
            throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), key, Types.STRING,
                metrics.environment());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
    }

    static <OUT> KeyedFunctionHarness<OUT> open(KeyedProcessFunction<String, TransactionEvent, OUT> function,
                                                KeySelector<TransactionEvent, String> key) throws Exception {
        return new KeyedFunctionHarness<>(function, key, null);
    }

    /** A harness whose function starts from the state of {@code snapshot}, as after a restore from a checkpoint. */
    static <OUT> KeyedFunctionHarness<OUT> restore(KeyedProcessFunction<String, TransactionEvent, OUT> function,
                                                   KeySelector<TransactionEvent, String> key,
                                                   OperatorSubtaskState snapshot) throws Exception {
        return new KeyedFunctionHarness<>(function, key, snapshot);
    }

    /** The input as the job sends it: with its event time as the record's timestamp. */
    void send(TransactionEvent event) throws Exception {
        harness.processElement(event, event.timestamp().toEpochMilli());
    }

    long count(String counter) {
        return metrics.count(counter);
    }

    @Override
    public void close() throws Exception {
        try {
            harness.close();
        } finally {
            // The harness closes only an environment it created itself.
            harness.getEnvironment().close();
        }
    }
}
