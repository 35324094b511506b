package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.cli.CommandOptions;
import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.retrieval.ClusteredVectors;
import dev.mlplatform.recsys.retrieval.HnswItemIndex;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench ann in miniature: a few thousand vectors, so that the numbers are checked, not their size. */
class AnnBenchTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void measuresRecallThroughputAndMemoryOnSyntheticVectors() throws Exception {
        AnnBench.Config config = new AnnBench.Config(3000, 16, 100, 10, 42, HnswItemIndex.Settings.defaults(), null, 2);

        AnnBench.Result result = new AnnBench(config, QUIET).run();

        assertThat(result.items()).isEqualTo(3000);
        assertThat(result.queries()).isEqualTo(100);
        assertThat(result.recall()).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        assertThat(result.rawVectorBytes()).isEqualTo(3000L * 16 * Float.BYTES);
        // The vectors, and the graph and ids beside them.
        assertThat(result.indexBytes()).isGreaterThan(result.rawVectorBytes());
        assertThat(result.buildSeconds()).isPositive();
        assertThat(List.of(result.hnsw().singleThread(), result.hnsw().allThreads(), result.exact().singleThread(),
                result.exact().allThreads())).allMatch(perSecond -> perSecond > 0);
    }

    @Test
    void readsAnItemVectorsArtifactAndQueriesWithItsOwnVectors(@TempDir Path directory) throws Exception {
        ItemVectors vectors = new ClusteredVectors(8, 20, 0.5, 1).sample(2000, "movie-", 2);
        Path file = directory.resolve("item-vectors.bin");
        try (var out = Files.newOutputStream(file)) {
            vectors.write(out);
        }
        AnnBench.Config config = new AnnBench.Config(1, 1, 50, 5, 42, HnswItemIndex.Settings.defaults(), file, 1);

        AnnBench.Result result = new AnnBench(config, QUIET).run();

        // The artifact decides the size, not --items and --dim.
        assertThat(result.items()).isEqualTo(2000);
        assertThat(result.dimension()).isEqualTo(8);
        assertThat(result.recall()).isGreaterThan(0.95);
    }

    @Test
    void aMissingVectorsFileIsAUsageError() {
        assertThatThrownBy(() -> BenchCli.run(List.of("ann", "--vectors", "/no/such/file.bin"), Path.of("."), Map.of()))
                .isInstanceOf(CommandOptions.UsageException.class)
                .hasMessageContaining("--vectors");
    }
}
