package dev.mlplatform.jobs.common;

import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * The metrics of one operator under test, for the test to read: unlike the environments the operator test
 * harnesses create themselves, the environment from {@link #environment()} keeps what the operator registers.
 */
public final class InterceptedMetrics {

    private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

    /** A task environment whose one operator registers its metrics here; the test closes it. */
    public MockEnvironment environment() {
        return new MockEnvironmentBuilder().setMetricGroup(new TaskMetrics(operator)).build();
    }

    public long count(String counter) {
        return ((Counter) operator.get(counter)).getCount();
    }

    /** Hands the one operator of the task the metric group the test reads. */
    private static final class TaskMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

        private final InterceptingOperatorMetricGroup operator;

        TaskMetrics(InterceptingOperatorMetricGroup operator) {
            this.operator = operator;
        }

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(OperatorID operatorId, String name,
                                                            Map<String, String> additionalVariables) {
            return operator;
        }
    }
}
