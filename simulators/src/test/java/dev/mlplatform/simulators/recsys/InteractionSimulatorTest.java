package dev.mlplatform.simulators.recsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionSimulatorTest {

    @TempDir
    Path dir;

    @Test
    void writesMovieLensShapedDataTheSameForTheSameSeed() throws Exception {
        InteractionSimulator.Config config = new InteractionSimulator.Config(200, 300, 40, 10, 4.0, 7);
        new InteractionSimulator(config).writeMovieLensFiles(dir.resolve("a"));
        new InteractionSimulator(config).writeMovieLensFiles(dir.resolve("b"));

        List<String> ratings = Files.readAllLines(dir.resolve("a/u.data"));
        assertThat(ratings).isEqualTo(Files.readAllLines(dir.resolve("b/u.data")));
        assertThat(Files.readAllLines(dir.resolve("a/u.item"))).hasSize(300)
                .allSatisfy(line -> assertThat(line.split("\\|", -1)).hasSize(5 + InteractionSimulator.GENRES));

        Map<String, Set<String>> itemsByUser = new HashMap<>();
        Map<String, Integer> itemCounts = new HashMap<>();
        for (String line : ratings) {
            String[] fields = line.split("\t");
            assertThat(fields).hasSize(4);
            assertThat(itemsByUser.computeIfAbsent(fields[0], u -> new HashSet<>()).add(fields[1]))
                    .as("no repeat of a user's item").isTrue();
            itemCounts.merge(fields[1], 1, Integer::sum);
        }
        assertThat(itemsByUser).hasSize(200);
        assertThat(itemsByUser.values()).allSatisfy(items -> assertThat(items.size()).isGreaterThanOrEqualTo(10));
        assertThat(ratings.size() / 200.0).isBetween(30.0, 50.0);
        // A long tail: the most popular item is far above the median one.
        List<Integer> counts = itemCounts.values().stream().sorted().toList();
        assertThat(counts.get(counts.size() - 1)).isGreaterThan(5 * counts.get(counts.size() / 2));
    }

    @Test
    void refusesImpossibleSizes() {
        assertThatThrownBy(() -> new InteractionSimulator.Config(10, 5, 10, 20, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
