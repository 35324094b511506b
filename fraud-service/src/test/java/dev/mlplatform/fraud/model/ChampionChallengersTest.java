package dev.mlplatform.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.experiment.Experiment;
import dev.mlplatform.core.registry.ModelStage;
import dev.mlplatform.fraud.decision.ExperimentArm;
import dev.mlplatform.fraud.scoring.ModelScores;
import dev.mlplatform.fraud.scoring.ModelUnavailableException;
import dev.mlplatform.fraud.scoring.RiskModel;
import dev.mlplatform.fraud.scoring.RoutedScore;
import dev.mlplatform.fraud.scoring.SignalThresholds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing between production, canary, experiment arms and the shadow, with model doubles that
 * answer one fixed score each (so that every row's score tells which model produced it).
 */
class ChampionChallengersTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final SignalThresholds NO_SIGNALS = new SignalThresholds(Map.of(), FraudFeatureVector.NAMES);

    /** A model that scores every row {@code score}; {@code version} null: not serving. */
    private static final class FixedModel implements RiskModel {

        private volatile String version;
        private final float score;
        private volatile RuntimeException failure;
        private volatile CountDownLatch blockUntil;

        FixedModel(String version, float score) {
            this.version = version;
            this.score = score;
        }

        @Override
        public ModelScores score(float[][] rows) {
            if (failure != null) {
                throw failure;
            }
            if (blockUntil != null) {
                try {
                    blockUntil.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (version == null) {
                throw new ModelUnavailableException("not serving");
            }
            float[] scores = new float[rows.length];
            java.util.Arrays.fill(scores, score);
            return new ModelScores(scores, version, NO_SIGNALS);
        }

        @Override
        public String version() {
            return version;
        }
    }

    private final FixedModel production = new FixedModel("fraud-gbdt:1", 0.1f);
    private final FixedModel canary = new FixedModel("fraud-gbdt:2", 0.2f);
    private final FixedModel shadow = new FixedModel(null, 0.3f);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService shadowThreads = Executors.newSingleThreadExecutor();
    private final List<ChampionChallengers> routers = new ArrayList<>();

    @AfterEach
    void stop() {
        routers.forEach(ChampionChallengers::close);
        shadowThreads.shutdownNow();
    }

    private ChampionChallengers router(double canaryShare, List<ModelExperiment> experiments) {
        ChampionChallengers router = new ChampionChallengers(production, canary, shadow, canaryShare, "canary-test",
                experiments, shadowThreads, Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC), meters);
        routers.add(router);
        return router;
    }

    private static List<String> cards(int n) {
        List<String> cards = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cards.add("ct_" + Integer.toHexString(i * 31_337 + 5));
        }
        return cards;
    }

    private static float[][] rows(int n) {
        return new float[n][FraudFeatureVector.SIZE];
    }

    private static ModelExperiment championVsChallenger(Instant start, Instant stop) {
        return new ModelExperiment(new Experiment("champion-vs-challenger", List.of(new Experiment.Arm("champion", 50),
                new Experiment.Arm("challenger", 50)), null, start, stop),
                Map.of("champion", ModelStage.PRODUCTION, "challenger", ModelStage.CANARY));
    }

    private static void assertEachRowScoredByTheModelItNames(List<RoutedScore> scores) {
        for (RoutedScore score : scores) {
            assertThat(score.riskScore()).as(score.modelVersion())
                    .isEqualTo(score.modelVersion().equals("fraud-gbdt:1") ? 0.1f : 0.2f);
        }
    }

    @Test
    void productionDecidesEverythingWithoutACanary() {
        canary.version = null;

        List<RoutedScore> scores = router(0.5, List.of()).score(cards(100), rows(100));

        assertThat(scores).hasSize(100).allSatisfy(score -> {
            assertThat(score.modelVersion()).isEqualTo("fraud-gbdt:1");
            assertThat(score.experiment()).isNull();
            assertThat(score.shadow()).isNull();
        });
    }

    @Test
    void theCanaryDecidesItsShareOfCardsTheSameCardsEveryTime() {
        ChampionChallengers router = router(0.3, List.of());
        List<String> cards = cards(10_000);

        List<RoutedScore> first = router.score(cards, rows(cards.size()));
        List<RoutedScore> again = router(0.3, List.of()).score(cards, rows(cards.size()));

        long byCanary = first.stream().filter(score -> score.modelVersion().equals("fraud-gbdt:2")).count();
        // Binomial(10 000, 0.3): standard deviation ≈ 46; five of them either side.
        assertThat(byCanary).isBetween(3_000L - 230, 3_000L + 230);
        assertEachRowScoredByTheModelItNames(first);
        for (int i = 0; i < cards.size(); i++) {
            assertThat(again.get(i).modelVersion()).as(cards.get(i)).isEqualTo(first.get(i).modelVersion());
        }
        List<RoutedScore> alone = router.score(List.of(cards.get(7)), rows(1));
        assertThat(alone.get(0).modelVersion()).isEqualTo(first.get(7).modelVersion());
    }

    @Test
    void aCanaryRetiredDuringTheCallLeavesItsRowsToProduction() {
        canary.failure = new ModelUnavailableException("retired");

        List<RoutedScore> scores = router(1.0, List.of()).score(cards(50), rows(50));

        assertThat(scores).allSatisfy(score -> assertThat(score.modelVersion()).isEqualTo("fraud-gbdt:1"));
    }

    @Test
    void aRunningExperimentAssignsCardsToArmsWhoseModelsDecide() {
        ChampionChallengers router = router(0.0, List.of(championVsChallenger(NOW.minusSeconds(60), null)));
        List<String> cards = cards(4_000);

        List<RoutedScore> scores = router.score(cards, rows(cards.size()));

        assertThat(router.activeExperiment()).map(ModelExperiment::name).contains("champion-vs-challenger");
        Map<String, Integer> perArm = new HashMap<>();
        for (int i = 0; i < scores.size(); i++) {
            RoutedScore score = scores.get(i);
            ExperimentArm arm = score.experiment();
            assertThat(arm.name()).isEqualTo("champion-vs-challenger");
            assertThat(score.modelVersion()).isEqualTo(arm.arm().equals("challenger") ? "fraud-gbdt:2" : "fraud-gbdt:1");
            perArm.merge(arm.arm(), 1, Integer::sum);
            assertThat(router.score(List.of(cards.get(i)), rows(1)).get(0).experiment()).isEqualTo(arm);
        }
        // Binomial(4 000, 0.5): standard deviation ≈ 32.
        assertThat(perArm.get("challenger")).isBetween(2_000 - 160, 2_000 + 160);
        assertEachRowScoredByTheModelItNames(scores);
    }

    @Test
    void anExperimentRoutesNothingOutsideItsTimeOrWithoutItsCanary() {
        ChampionChallengers later = router(0.0, List.of(championVsChallenger(NOW.plusSeconds(60), null)));
        assertThat(later.activeExperiment()).isEmpty();
        assertThat(later.score(cards(20), rows(20))).allSatisfy(score -> {
            assertThat(score.experiment()).isNull();
            assertThat(score.modelVersion()).isEqualTo("fraud-gbdt:1");
        });

        canary.version = null;
        ChampionChallengers withoutCanary = router(0.0, List.of(championVsChallenger(null, null)));
        assertThat(withoutCanary.activeExperiment()).isEmpty();
        assertThat(withoutCanary.score(cards(20), rows(20))).allSatisfy(score -> assertThat(score.experiment()).isNull());
    }

    @Test
    void refusesExperimentsThatOverlapInTime() {
        ModelExperiment first = championVsChallenger(NOW, NOW.plusSeconds(3600));
        ModelExperiment second = new ModelExperiment(new Experiment("second", first.experiment().arms(), null,
                NOW.plusSeconds(1800), null), first.armStages());

        assertThatThrownBy(() -> router(0.1, List.of(first, second))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlap");
    }

    @Test
    void theShadowScoresEveryRowAndChangesNoScoreOrVersion() {
        shadow.version = "fraud-gbdt:3";

        List<RoutedScore> scores = router(0.3, List.of()).score(cards(200), rows(200));

        assertEachRowScoredByTheModelItNames(scores);
        assertThat(scores).allSatisfy(score ->
                assertThat(score.shadow()).isEqualTo(new RoutedScore.Shadow("fraud-gbdt:3", 0.3f)));
    }

    @Test
    void aFailingShadowIsCountedAndTheDecisionGoesOnWithoutIt() {
        shadow.version = "fraud-gbdt:3";
        shadow.failure = new IllegalStateException("onnx session broken");

        List<RoutedScore> scores = router(0.0, List.of()).score(cards(10), rows(10));

        assertThat(scores).allSatisfy(score -> {
            assertThat(score.shadow()).isNull();
            assertThat(score.modelVersion()).isEqualTo("fraud-gbdt:1");
        });
        assertThat(meters.get("fraud.shadow.failures").tag("cause", "error").counter().count()).isEqualTo(1);
    }

    @Test
    void aShadowLaterThanItsTimeoutIsCountedAndLeftBehind() {
        shadow.version = "fraud-gbdt:3";
        shadow.blockUntil = new CountDownLatch(1);
        ChampionChallengers router = new ChampionChallengers(production, canary, shadow, 0.0, "canary-test", List.of(),
                shadowThreads, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC), meters);
        routers.add(router);
        try {
            List<RoutedScore> scores = router.score(cards(5), rows(5));

            assertThat(scores).allSatisfy(score -> assertThat(score.shadow()).isNull());
            assertThat(meters.get("fraud.shadow.failures").tag("cause", "timeout").counter().count()).isEqualTo(1);
        } finally {
            shadow.blockUntil.countDown();
        }
    }

    @Test
    void aShadowWithNoRoomToRunIsCountedAsRejected() {
        shadow.version = "fraud-gbdt:3";
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        ChampionChallengers router = new ChampionChallengers(production, canary, shadow, 0.0, "canary-test", List.of(),
                stopped, Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC), meters);
        routers.add(router);

        assertThat(router.score(cards(3), rows(3))).allSatisfy(score -> assertThat(score.shadow()).isNull());
        assertThat(meters.get("fraud.shadow.failures").tag("cause", "rejected").counter().count()).isEqualTo(1);
    }
}
