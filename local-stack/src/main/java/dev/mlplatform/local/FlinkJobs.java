package dev.mlplatform.local;

import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.jobs.fraud.FraudFeatureJob;
import dev.mlplatform.jobs.recsys.RecsysFeatureJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's Flink: a MiniCluster in this JVM running the feature jobs side by side (fraud and recsys), with
 * exactly-once checkpoints under {@code .platform/flink/checkpoints} and its REST API on a fixed port. Each job is
 * submitted through that REST API, as to any cluster, so that one cluster runs both and each fails and restarts on
 * its own. Closing cancels the jobs and stops the MiniCluster.
 */
final class FlinkJobs implements AutoCloseable {

    static final int PARALLELISM = 2;
    /** A job runs all its operators in one slot per parallel instance: two jobs take twice the parallelism. */
    static final int SLOTS = 2 * PARALLELISM;

    private final MiniCluster cluster;
    private final int restPort;
    private JobClient fraudFeatures;
    private JobClient recsysFeatures;

    private FlinkJobs(MiniCluster cluster, int restPort) {
        this.cluster = cluster;
        this.restPort = restPort;
    }

    /** The MiniCluster's configuration: REST on {@code restPort}, slots for the jobs, file checkpoints. */
    static Configuration configuration(int restPort, Path checkpoints) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
        conf.set(RestOptions.PORT, restPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, SLOTS);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toAbsolutePath().toUri().toString());
        return conf;
    }

    /** The fraud feature job's settings for this platform. */
    static FraudFeatureJob.Config fraudFeaturesConfig(String bootstrap, FeatureStoreConnection featureStore) {
        return new FraudFeatureJob.Config(bootstrap, FraudFeatureJob.TRANSACTIONS_TOPIC, FraudFeatureJob.LABELS_TOPIC,
                FraudFeatureJob.LATE_TOPIC,
                FraudFeatureJob.DEAD_LETTER_TOPIC, FraudFeatureJob.Config.DEFAULT_GROUP_ID,
                FraudFeatureJob.Config.DEFAULT_MAX_OUT_OF_ORDERNESS, FraudFeatureJob.Config.DEFAULT_ALLOWED_LATENESS,
                FraudFeatureJob.Config.DEFAULT_IDLE_TIMEOUT,
                FraudFeatureJob.Config.DEFAULT_CHECKPOINT_INTERVAL, PARALLELISM, featureStore);
    }

    /** The recsys feature job's settings for this platform, its Parquet lake under {@code lakeDir}. */
    static RecsysFeatureJob.Config recsysFeaturesConfig(String bootstrap, FeatureStoreConnection featureStore,
                                                        Path lakeDir) {
        return new RecsysFeatureJob.Config(bootstrap, RecsysFeatureJob.INTERACTIONS_TOPIC, RecsysFeatureJob.ITEMS_TOPIC,
                RecsysFeatureJob.DEAD_LETTER_TOPIC, RecsysFeatureJob.Config.DEFAULT_GROUP_ID, lakeDir,
                RecsysFeatureJob.Config.DEFAULT_MAX_OUT_OF_ORDERNESS, RecsysFeatureJob.Config.DEFAULT_IDLE_TIMEOUT,
                RecsysFeatureJob.Config.DEFAULT_UNKNOWN_ITEM_GRACE, RecsysFeatureJob.Config.DEFAULT_CHECKPOINT_INTERVAL,
                PARALLELISM, featureStore);
    }

    /** Starts the MiniCluster with both feature jobs and returns once every task of each runs. */
    static FlinkJobs start(int restPort, Path checkpoints, FraudFeatureJob.Config fraud, RecsysFeatureJob.Config recsys,
                           Duration timeout) throws InterruptedException {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration(restPort, checkpoints))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(SLOTS)
                .build());
        FlinkJobs jobs = new FlinkJobs(cluster, restPort);
        try {
            cluster.start();
            jobs.fraudFeatures = FraudFeatureJob.submit(jobs.environment(), fraud);
            jobs.recsysFeatures = RecsysFeatureJob.submit(jobs.environment(), recsys);
            jobs.awaitRunning(FraudFeatureJob.JOB_NAME, jobs.fraudFeatures, timeout);
            jobs.awaitRunning(RecsysFeatureJob.JOB_NAME, jobs.recsysFeatures, timeout);
        } catch (LaunchException | InterruptedException e) {
            jobs.close();
            throw e;
        } catch (Exception e) {
            jobs.close();
            throw new LaunchException("Flink could not start the feature jobs: " + rootMessage(e), e);
        }
        return jobs;
    }

    /** An environment that submits to this MiniCluster's REST API; the job classes are on this JVM's classpath. */
    private StreamExecutionEnvironment environment() {
        return StreamExecutionEnvironment.createRemoteEnvironment("localhost", restPort, new Configuration());
    }

    JobID fraudFeaturesJobId() {
        return fraudFeatures.getJobID();
    }

    JobID recsysFeaturesJobId() {
        return recsysFeatures.getJobID();
    }

    String restUrl() {
        return "http://localhost:" + restPort;
    }

    /** The job's status as Flink reports it. */
    private static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    /** Waits until the job and all of its tasks are RUNNING; a job that fails meanwhile ends the wait with its cause. */
    private void awaitRunning(String name, JobClient job, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI uri = URI.create(restUrl() + "/jobs/" + job.getJobID());
        JsonMapper json = JsonMapper.builder().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobStatus status = status(job);
            if (status.isGloballyTerminalState() || status == JobStatus.FAILING || status == JobStatus.RESTARTING) {
                throw new LaunchException("the " + name + " job is " + status + failureCause(job)
                        + " (see .platform/logs/platform.log)");
            }
            if (status == JobStatus.RUNNING) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && allTasksRunning(json.readTree(response.body()))) {
                        return;
                    }
                } catch (IOException e) {
                    // The REST endpoint is not up yet.
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("the " + name + " job was not running after " + timeout.toSeconds()
                        + " s (status " + status + "; see .platform/logs/platform.log)");
            }
            Thread.sleep(200);
        }
    }

    static boolean allTasksRunning(JsonNode job) {
        JsonNode vertices = job.get("vertices");
        if (vertices == null || !vertices.isArray() || vertices.isEmpty()) {
            return false;
        }
        for (JsonNode vertex : vertices) {
            if (!"RUNNING".equals(vertex.path("status").asString())) {
                return false;
            }
        }
        return true;
    }

    private static String failureCause(JobClient job) {
        try {
            job.getJobExecutionResult().get(5, TimeUnit.SECONDS);
            return "";
        } catch (Exception e) {
            return ": " + rootMessage(e);
        }
    }

    /** Cancels the jobs, stops the MiniCluster and waits until its REST port is released. */
    @Override
    public void close() {
        try {
            for (JobClient job : Stream.of(fraudFeatures, recsysFeatures).filter(Objects::nonNull).toList()) {
                if (!status(job).isGloballyTerminalState()) {
                    job.cancel().get(30, TimeUnit.SECONDS);
                }
                job.getJobExecutionResult().handle((result, error) -> null).get(30, TimeUnit.SECONDS);
            }
            cluster.closeAsync().get(30, TimeUnit.SECONDS);
            // The REST server may still hold its port for a moment after that.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (Prerequisites.accepts("localhost", restPort) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(FlinkJobs.class).warn("Flink did not stop cleanly", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
