package dev.mlplatform.jobs.common;

import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What every feature job does the same way: its name, exactly-once checkpoints, and how it is run. */
public abstract class FeatureJob {

    private final String name;

    protected FeatureJob(String name) {
        this.name = name;
    }

    /** Exactly-once checkpoints every {@code interval} (they also commit the jobs' files) and the parallelism. */
    protected static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, Duration interval,
                                                          int parallelism) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setParallelism(parallelism);
        return env;
    }

    /** Adds the job's operators to {@code env}. */
    protected abstract void build(StreamExecutionEnvironment env);

    /** Adds the job to {@code env} and submits it; returns at once. */
    public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(name);
    }

    /** Adds the job to {@code env} and runs it to the end (of a bounded source), or forever. */
    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(name);
    }
}
