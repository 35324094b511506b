package dev.mlplatform.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.MovieLensFiles;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two-tower model by the published ML-100k protocol, as {@code ./platform recs evaluate} runs it. */
class TwoTowerMovieLens100kIT {

    private static final Path RATINGS = Path.of("../../shared/datasets/ml-100k/u.data");
    /** LightGCN's nDCG@10 in the published table (BPR 0.442, EASE here 0.469, BiVAE 0.475). */
    private static final double LIGHTGCN_NDCG = 0.418;

    @Test
    void ranksAboveLightGcnAndFarAbovePopularity() {
        assumeTrue(Files.isRegularFile(RATINGS), "ML-100k is not at " + RATINGS.toAbsolutePath() + ": skipped");
        Interactions all = MovieLensFiles.ratings(RATINGS);
        Map<String, boolean[]> genres = MovieLensFiles.genres(RATINGS.resolveSibling("u.item"));
        UserSplit split = UserSplit.of(all, 0.75, 42);

        long started = System.nanoTime();
        TwoTower model = new TwoTower(TwoTower.Config.defaults(42), genres, System.out);
        model.fit(split.train());
        double fitSeconds = (System.nanoTime() - started) / 1e9;
        RankingMetrics metrics = RankingMetrics.of(model, split, 10, genres);
        MostPopular popular = new MostPopular();
        popular.fit(split.train());
        RankingMetrics popularMetrics = RankingMetrics.of(popular, split, 10, genres);
        System.out.printf("two-tower on ML-100k (seed 42): nDCG@10 %.4f, P@10 %.4f, R@10 %.4f, MAP %.4f, coverage %.3f, "
                + "diversity %.3f, trained in %.1f s%n", metrics.ndcg(), metrics.precision(), metrics.recall(), metrics.map(),
                metrics.coverage(), metrics.diversity(), fitSeconds);

        assertThat(metrics.ndcg()).isGreaterThan(LIGHTGCN_NDCG).isGreaterThan(popularMetrics.ndcg() + 0.1);
        assertThat(metrics.coverage()).isGreaterThan(popularMetrics.coverage());
        assertThat(model.itemVectors().size()).isEqualTo(all.items());
    }
}
