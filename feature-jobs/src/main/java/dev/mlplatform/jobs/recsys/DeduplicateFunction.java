package dev.mlplatform.jobs.recsys;

import dev.mlplatform.core.events.InteractionEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets each interaction through once, keyed by its {@code eventId}: delivery is at least once, so a producer's
 * retry arrives as a second record with the same id, and must change nothing downstream. The id is remembered
 * for {@code memory} after it was first seen (state TTL, processing time: retries come within seconds); a repeat
 * within that is dropped and counted in {@value RecsysFeatureJob#DUPLICATES_DROPPED}.
 */
final class DeduplicateFunction extends KeyedProcessFunction<String, InteractionEvent, InteractionEvent> {

    private final Duration memory;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicatesDropped;

    DeduplicateFunction(Duration memory) {
        this.memory = memory;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(memory)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .build());
        seen = getRuntimeContext().getState(descriptor);
        duplicatesDropped = getRuntimeContext().getMetricGroup().counter(RecsysFeatureJob.DUPLICATES_DROPPED);
    }

    @Override
    public void processElement(InteractionEvent event, Context ctx, Collector<InteractionEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicatesDropped.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(event);
    }
}
