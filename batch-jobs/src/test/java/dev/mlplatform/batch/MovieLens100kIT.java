package dev.mlplatform.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.MovieLensFiles;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.model.Ease;
import dev.mlplatform.recsys.model.MostPopular;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published ML-100k protocol on the real data, when it is beside the project (../shared/datasets). */
class MovieLens100kIT {

    private static final Path RATINGS = Path.of("../../shared/datasets/ml-100k/u.data");

    @Test
    void easeBeatsMostPopularAndThePublishedFiguresDownFromBpr() {
        assumeTrue(Files.isRegularFile(RATINGS), "ML-100k is not at " + RATINGS.toAbsolutePath() + ": skipped");
        Interactions all = MovieLensFiles.ratings(RATINGS);
        Map<String, boolean[]> genres = MovieLensFiles.genres(RATINGS.resolveSibling("u.item"));
        UserSplit split = UserSplit.of(all, 0.75, 42);

        Ease ease = RecsEvaluateCli.tunedEase(split.train(), 10, 42);
        ease.fit(split.train());
        RankingMetrics easeMetrics = RankingMetrics.of(ease, split, 10, genres);
        MostPopular popular = new MostPopular();
        popular.fit(split.train());
        RankingMetrics popularMetrics = RankingMetrics.of(popular, split, 10, genres);

        assertThat(all.users()).isEqualTo(943);
        assertThat(all.items()).isEqualTo(1682);
        assertThat(all.size()).isEqualTo(100_000);
        assertThat(easeMetrics.users()).isEqualTo(943);
        // 0.469 on this split: above BPR (0.442) and every figure below it, not yet above BiVAE (0.475).
        assertThat(easeMetrics.ndcg()).isGreaterThan(RecsEvaluateCli.PUBLISHED.get("BPR")[0])
                .isGreaterThan(popularMetrics.ndcg());
        assertThat(easeMetrics.coverage()).isGreaterThan(popularMetrics.coverage());
        assertThat(easeMetrics.diversity()).isBetween(0.0, 1.0);
    }
}
