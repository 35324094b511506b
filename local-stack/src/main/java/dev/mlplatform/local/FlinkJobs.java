package dev.mlplatform.local;

import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.jobs.fraud.FraudFeatureJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's Flink: a MiniCluster in this JVM (started by a local execution environment) running
 * the feature jobs, with exactly-once checkpoints under {@code .platform/flink/checkpoints} and its REST
 * API on a fixed port. Closing cancels the jobs, which shuts the MiniCluster down.
 */
final class FlinkJobs implements AutoCloseable {

    static final int PARALLELISM = 2;

    private final JobClient fraudFeatures;
    private final int restPort;

    private FlinkJobs(JobClient fraudFeatures, int restPort) {
        this.fraudFeatures = fraudFeatures;
        this.restPort = restPort;
    }

    /** The MiniCluster's configuration: REST on {@code restPort}, slots for the jobs, file checkpoints. */
    static Configuration configuration(int restPort, Path checkpoints) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
        conf.set(RestOptions.PORT, restPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, PARALLELISM);
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

    /** Starts the MiniCluster with the fraud feature job and returns once every task of it runs. */
    static FlinkJobs start(int restPort, Path checkpoints, FraudFeatureJob.Config job, Duration timeout)
            throws InterruptedException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                configuration(restPort, checkpoints));
        JobClient client;
        try {
            client = FraudFeatureJob.submit(env, job);
        } catch (Exception e) {
            throw new LaunchException("Flink could not start the fraud feature job: " + rootMessage(e), e);
        }
        FlinkJobs jobs = new FlinkJobs(client, restPort);
        try {
            jobs.awaitRunning(timeout);
        } catch (RuntimeException | InterruptedException e) {
            jobs.close();
            throw e;
        }
        return jobs;
    }

    JobID fraudFeaturesJobId() {
        return fraudFeatures.getJobID();
    }

    String restUrl() {
        return "http://localhost:" + restPort;
    }

    /** The job's status as Flink reports it. */
    JobStatus status() {
        try {
            return fraudFeatures.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    /** Waits until the job and all of its tasks are RUNNING; a job that fails meanwhile ends the wait with its cause. */
    void awaitRunning(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI uri = URI.create(restUrl() + "/jobs/" + fraudFeatures.getJobID());
        JsonMapper json = JsonMapper.builder().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobStatus status = status();
            if (status.isGloballyTerminalState() || status == JobStatus.FAILING || status == JobStatus.RESTARTING) {
                throw new LaunchException("the fraud feature job is " + status + failureCause()
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
                throw new LaunchException("the fraud feature job was not running after " + timeout.toSeconds()
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

    private String failureCause() {
        try {
            fraudFeatures.getJobExecutionResult().get(5, TimeUnit.SECONDS);
            return "";
        } catch (Exception e) {
            return ": " + rootMessage(e);
        }
    }

    /** Cancels the job and waits for the MiniCluster to stop. */
    @Override
    public void close() {
        try {
            JobStatus status = status();
            if (!status.isGloballyTerminalState()) {
                fraudFeatures.cancel().get(30, TimeUnit.SECONDS);
            }
            // The per-job MiniCluster shuts down once the job has ended; wait for that.
            fraudFeatures.getJobExecutionResult().handle((result, error) -> null).get(30, TimeUnit.SECONDS);
            // ... and it shuts down asynchronously after that: wait until its REST port is released.
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
