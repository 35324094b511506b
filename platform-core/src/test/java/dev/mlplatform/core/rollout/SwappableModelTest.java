package dev.mlplatform.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.inference.TestOnnxModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SwappableModelTest {

    @Test
    void servesTheInstalledModelAndReportsItsVersion() {
        FakeModel first = new FakeModel(1);
        try (SwappableModel<FakeModel> serving = SwappableModel.serving("fraud:1", first)) {
            assertThat(serving.version()).contains("fraud:1");
            String answer = serving.apply((model, version) -> version + "=" + model.score(3));
            assertThat(answer).isEqualTo("fraud:1=1003");
            assertThat(serving.swapCount()).isEqualTo(1);
        }
        assertThat(first.closeCount.get()).isEqualTo(1);
    }

    @Test
    void failsClearlyBeforeTheFirstModelAndAfterClose() {
        SwappableModel<FakeModel> serving = SwappableModel.empty();
        assertThat(serving.version()).isEmpty();
        assertThatThrownBy(serving::acquire).isInstanceOf(NoServingModelException.class)
                .hasMessageContaining("no model is serving yet");
        serving.swap("v1", new FakeModel(1));
        serving.close();
        assertThat(serving.version()).isEmpty();
        assertThatThrownBy(serving::acquire).isInstanceOf(NoServingModelException.class)
                .hasMessageContaining("closed");
        FakeModel late = new FakeModel(2);
        assertThatThrownBy(() -> serving.swap("v2", late)).isInstanceOf(NoServingModelException.class);
        assertThat(late.closeCount.get()).isEqualTo(1);
    }

    @Test
    void closesAnIdleReplacedModelAtOnce() {
        FakeModel first = new FakeModel(1);
        FakeModel second = new FakeModel(2);
        SwappableModel<FakeModel> serving = SwappableModel.serving("v1", first);
        assertThat(serving.swap("v2", second)).contains("v1");
        assertThat(first.closeCount.get()).isEqualTo(1);
        assertThat(second.closeCount.get()).isZero();
        assertThat(serving.version()).contains("v2");
    }

    @Test
    void aRetiredModelServesItsRequestsInFlightThenClosesAndANewSwapServesAgain() {
        FakeModel first = new FakeModel(1);
        SwappableModel<FakeModel> serving = SwappableModel.serving("v1", first);
        SwappableModel.Lease<FakeModel> inFlight = serving.acquire();

        assertThat(serving.retire()).contains("v1");

        assertThat(serving.version()).isEmpty();
        assertThatThrownBy(serving::acquire).isInstanceOf(NoServingModelException.class);
        assertThat(inFlight.model().score(1)).isEqualTo(1001);
        assertThat(first.closeCount.get()).isZero();
        inFlight.close();
        assertThat(first.closeCount.get()).isEqualTo(1);
        assertThat(serving.retire()).isEmpty();

        serving.swap("v2", new FakeModel(2));
        assertThat(serving.version()).contains("v2");
        serving.close();
        assertThat(serving.retire()).isEmpty();
    }

    @Test
    void keepsAReplacedModelOpenUntilItsLastRequestEnds() {
        FakeModel first = new FakeModel(1);
        SwappableModel<FakeModel> serving = SwappableModel.serving("v1", first);
        SwappableModel.Lease<FakeModel> inFlight = serving.acquire();
        serving.swap("v2", new FakeModel(2));
        // The request that started on v1 finishes on v1.
        assertThat(first.closeCount.get()).isZero();
        assertThat(inFlight.version()).isEqualTo("v1");
        assertThat(inFlight.model().score(1)).isEqualTo(1001);
        try (SwappableModel.Lease<FakeModel> next = serving.acquire()) {
            assertThat(next.version()).isEqualTo("v2");
        }
        inFlight.close();
        assertThat(first.closeCount.get()).isEqualTo(1);
        inFlight.close();
        assertThat(first.closeCount.get()).isEqualTo(1);
        assertThatThrownBy(inFlight::model).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void noRequestFailsWhileModelsAreSwappedUnderLoad() throws Exception {
        int scorers = 4;
        int swaps = 300;
        Map<String, FakeModel> installed = new ConcurrentHashMap<>();
        FakeModel initial = new FakeModel(0);
        installed.put("v0", initial);
        SwappableModel<FakeModel> serving = SwappableModel.serving("v0", initial);

        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(scorers + 1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < scorers; t++) {
                int input = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    while (swapping.get()) {
                        try {
                            long[] answer = serving.apply((model, version) -> new long[] {
                                    model.score(input), installed.get(version).id});
                            // The answer is the one the model named by the lease gives: one whole model.
                            if (answer[0] != answer[1] * 1000 + input) {
                                failures.add(new AssertionError("answer " + answer[0] + " not from model "
                                        + answer[1]));
                            }
                            requests.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                    return null;
                }));
            }
            workers.add(pool.submit(() -> {
                start.await();
                try {
                    for (int id = 1; id <= swaps; id++) {
                        FakeModel next = new FakeModel(id);
                        installed.put("v" + id, next);
                        serving.swap("v" + id, next);
                        Thread.yield();
                    }
                } finally {
                    swapping.set(false);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(failures).isEmpty();
        assertThat(requests.get()).isGreaterThan(swaps);
        assertThat(serving.version()).contains("v" + swaps);
        // Every retired model was closed exactly once, after its last request; the serving one is open.
        for (Map.Entry<String, FakeModel> entry : installed.entrySet()) {
            FakeModel model = entry.getValue();
            assertThat(model.closedWhileInUse.get()).as(entry.getKey()).isFalse();
            assertThat(model.closeCount.get()).as(entry.getKey()).isEqualTo(model.id == swaps ? 0 : 1);
        }
        serving.close();
        assertThat(installed.get("v" + swaps).closeCount.get()).isEqualTo(1);
    }

    @Test
    void swapsRealOnnxSessionsUnderLoadWithoutAFailedRequest() throws Exception {
        float[] row = {1f, 2f, 3f};
        // Two models that give different, known scores for the row.
        byte[] modelA = TestOnnxModels.logisticRegression(new float[] {0.1f, 0.1f, 0.1f}, 0f);
        byte[] modelB = TestOnnxModels.logisticRegression(new float[] {-0.2f, 0.1f, -0.1f}, 0.5f);
        float scoreA;
        float scoreB;
        try (OnnxPredictor a = OnnxPredictor.load(modelA, OnnxPredictorOptions.defaults());
             OnnxPredictor b = OnnxPredictor.load(modelB, OnnxPredictorOptions.defaults())) {
            scoreA = a.predict(row);
            scoreB = b.predict(row);
        }
        assertThat(scoreA).isNotEqualTo(scoreB);

        SwappableModel<OnnxPredictor> serving = SwappableModel.serving("a-0",
                OnnxPredictor.load(modelA, OnnxPredictorOptions.defaults()));
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                workers.add(pool.submit(() -> {
                    while (swapping.get()) {
                        try {
                            serving.apply((predictor, version) -> {
                                float score = predictor.predict(row);
                                float expected = version.startsWith("a") ? scoreA : scoreB;
                                if (score != expected) {
                                    failures.add(new AssertionError(version + " scored " + score));
                                }
                                return score;
                            });
                            requests.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            workers.add(pool.submit(() -> {
                try {
                    for (int i = 1; i <= 60; i++) {
                        boolean useA = i % 2 == 0;
                        serving.swap((useA ? "a-" : "b-") + i,
                                OnnxPredictor.load(useA ? modelA : modelB, OnnxPredictorOptions.defaults()));
                    }
                } finally {
                    swapping.set(false);
                }
            }));
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
            serving.close();
        }
        assertThat(failures).isEmpty();
        assertThat(requests.get()).isGreaterThan(60);
    }

    /**
     * A model whose answer depends on its id, that fails if used after close and records being
     * closed while a call was in flight.
     */
    static final class FakeModel implements AutoCloseable {

        final long id;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger closeCount = new AtomicInteger();
        final AtomicBoolean closedWhileInUse = new AtomicBoolean();

        FakeModel(long id) {
            this.id = id;
        }

        long score(int input) {
            inFlight.incrementAndGet();
            try {
                if (closeCount.get() > 0) {
                    throw new IllegalStateException("model " + id + " used after close");
                }
                long partial = id * 1000;
                // Let a swap happen in the middle of a request.
                Thread.yield();
                if (closeCount.get() > 0) {
                    throw new IllegalStateException("model " + id + " closed during a request");
                }
                return partial + input;
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void close() {
            if (inFlight.get() > 0) {
                closedWhileInUse.set(true);
            }
            closeCount.incrementAndGet();
        }
    }
}
