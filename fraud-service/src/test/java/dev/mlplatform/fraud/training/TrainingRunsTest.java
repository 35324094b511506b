package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunsTest {

    private static final LocalDate TRAIN_START = LocalDate.parse("2018-04-04");

    @TempDir
    Path dir;

    private final CountDownLatch registering = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<ModelRegistration> registered = new AtomicReference<>();
    private TrainingRuns runs;

    @BeforeEach
    void writeData() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        SyntheticTransactions.write(dir.resolve("data").resolve("synthetic.csv"), 12);
        // A registry that holds the run at registration until the test lets it go, then refuses the model.
        CandidateSink held = new CandidateSink() {
            @Override
            public ModelVersion register(ModelRegistration registration, byte[] onnx) {
                registered.set(registration);
                registering.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("registry down");
            }

            @Override
            public String where() {
                return "a test registry";
            }
        };
        runs = new TrainingRuns(dir.resolve("data"), dir.resolve("out"), () -> held, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        release.countDown();
        runs.close();
    }

    private static TrainingRuns.Request request(String data, Boolean register) {
        return new TrainingRuns.Request(data, TRAIN_START, 4, 2, 3, null, "fraud-sim-gbdt-test", register, null);
    }

    private TrainingRuns.Run awaitFinished(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        TrainingRuns.Run run = runs.find(id).orElseThrow();
        while (run.status() == TrainingRuns.Status.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
            run = runs.find(id).orElseThrow();
        }
        return run;
    }

    @Test
    void aRunTrainsInTheBackgroundAndKeepsItsProgressAndTheCommandsResult() throws Exception {
        TrainingRuns.Run started = runs.start(request("synthetic.csv", false));

        assertThat(started.status()).isEqualTo(TrainingRuns.Status.RUNNING);
        TrainingRuns.Run finished = awaitFinished(started.id());
        assertThat(finished.status()).as(finished.error()).isEqualTo(TrainingRuns.Status.SUCCEEDED);
        assertThat(finished.finishedAt()).isAfterOrEqualTo(finished.startedAt());
        assertThat(finished.progress()).isNotEmpty().hasSizeLessThanOrEqualTo(TrainingRuns.KEPT_PROGRESS_LINES);
        assertThat(finished.result()).containsKeys("auc_roc", "average_precision", "card_precision_at_100",
                "threshold", "baseline", "charts").containsEntry("model", null);
        assertThat((double) finished.result().get("auc_roc")).isGreaterThan(0.7);
        assertThat(dir.resolve("out").resolve(started.id()).resolve("pr.png")).isRegularFile();
        assertThat(dir.resolve("out").resolve(started.id()).resolve("result.json")).isRegularFile();
    }

    @Test
    void oneRunAtATimeAndARegistryFailureFailsTheRunWithItsReason() throws Exception {
        TrainingRuns.Run first = runs.start(request("synthetic.csv", true));
        assertThat(registering.await(3, TimeUnit.MINUTES)).as("the run reached its registration").isTrue();

        assertThatThrownBy(() -> runs.start(request("synthetic.csv", true)))
                .isInstanceOf(TrainingRuns.BusyException.class).hasMessageContaining(first.id());
        release.countDown();

        TrainingRuns.Run failed = awaitFinished(first.id());
        assertThat(failed.status()).isEqualTo(TrainingRuns.Status.FAILED);
        assertThat(failed.error()).contains("a test registry").contains("registry down");
        assertThat(registered.get().name()).isEqualTo("fraud-sim-gbdt-test");
        assertThat(runs.start(request("synthetic.csv", false)).status()).as("free again")
                .isEqualTo(TrainingRuns.Status.RUNNING);
    }

    @Test
    void eachFieldAtFaultIsNamedAndNothingStarts() throws Exception {
        Files.writeString(dir.resolve("outside.csv"), SyntheticTransactions.HEADER + "\n");

        assertThatThrownBy(() -> runs.start(new TrainingRuns.Request(null, null, 1, -1, null, 1.5, "Bad Name", null,
                null))).isInstanceOfSatisfying(TrainingRuns.InvalidRequestException.class, e ->
                assertThat(e.errors()).extracting(FieldError::field).containsExactly("data", "trainStart",
                        "trainDays", "delayDays", "testDays", "minPrecision", "modelName"));
        for (String outside : new String[] {"../outside.csv", dir.resolve("outside.csv").toString(), "missing.csv"}) {
            assertThatThrownBy(() -> runs.start(request(outside, false)))
                    .isInstanceOfSatisfying(TrainingRuns.InvalidRequestException.class, e ->
                            assertThat(e.errors()).extracting(FieldError::field).containsExactly("data"));
        }
        assertThat(runs.find("no-such-run")).isEmpty();
    }
}
