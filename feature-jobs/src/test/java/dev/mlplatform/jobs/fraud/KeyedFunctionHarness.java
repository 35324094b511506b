package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
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
    private final InterceptingOperatorMetricGroup metrics;

    private KeyedFunctionHarness(KeyedProcessFunction<String, TransactionEvent, OUT> function,
                                 KeySelector<TransactionEvent, String> key, OperatorSubtaskState restoreFrom)
            throws Exception {
        metrics = new InterceptingOperatorMetricGroup();
        OperatorMetrics taskMetrics = new OperatorMetrics(metrics);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), key, Types.STRING,
                new MockEnvironmentBuilder().setMetricGroup(taskMetrics).build());
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
        return ((Counter) metrics.get(counter)).getCount();
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

    /** Hands the one operator of the harness the metric group the test reads. */
    private static final class OperatorMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

        private final InterceptingOperatorMetricGroup operator;

        OperatorMetrics(InterceptingOperatorMetricGroup operator) {
            this.operator = operator;
        }

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(OperatorID operatorId, String name,
                                                            Map<String, String> additionalVariables) {
            return operator;
        }
    }
}
