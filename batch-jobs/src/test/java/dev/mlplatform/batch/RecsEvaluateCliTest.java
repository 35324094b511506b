package dev.mlplatform.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.core.events.EventJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RecsEvaluateCliTest {

    @TempDir
    Path dir;

    @Test
    void evaluatesEachAlgorithmOnAUDataFileAndWritesItsJsonAndChart() throws Exception {
        Path ratings = dir.resolve("u.data");
        Random random = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int u = 1; u <= 60; u++) {
            int base = u % 2 == 0 ? 1 : 31;
            for (int i = 0; i < 30; i++) {
                if (random.nextDouble() < 0.4) {
                    lines.add(u + "\t" + (base + i) + "\t4\t881250949");
                }
            }
        }
        Files.write(ratings, lines);

        JsonNode result = EventJson.MAPPER.readTree(stdoutOf("--data", ratings.toString(), "--out",
                dir.resolve("out").toString(), "--json"));

        assertThat(result.get("users").asInt()).isEqualTo(60);
        assertThat(result.get("algorithms").propertyNames()).containsExactly("most-popular", "ease", "als",
                "two-tower", "edlae", "edlae+two-tower", "edlae+als");
        double popular = result.get("algorithms").get("most-popular").get("ndcg_at_10").asDouble();
        for (String algorithm : List.of("ease", "als", "two-tower", "edlae", "edlae+two-tower", "edlae+als")) {
            JsonNode figures = result.get("algorithms").get(algorithm);
            for (String metric : List.of("ndcg_at_10", "precision_at_10", "recall_at_10", "map", "coverage")) {
                assertThat(figures.get(metric).asDouble()).as(algorithm + " " + metric).isBetween(0.0, 1.0);
            }
            assertThat(figures.get("ndcg_at_10").asDouble()).as(algorithm).isGreaterThan(popular);
        }
        JsonNode ease = result.get("algorithms").get("ease");
        assertThat(result.get("algorithms").get("als").get("rank").asInt()).as("the ALS rank chosen")
                .isIn(SparkAls.GRID.stream().map(SparkAls.Params::rank).toList());
        assertThat(ease.get("diversity").isNull()).as("no u.item beside the ratings").isTrue();
        assertThat(dir.resolve("out").resolve("evaluation.png")).isNotEmptyFile();
    }

    @Test
    void refusesMissingOrBadOptionsWithTheirNames() throws Exception {
        Path ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, "userId,movieId,rating,timestamp\n1,2,4.0,881250949\n1,oops\n");

        assertThatThrownBy(() -> RecsEvaluateCli.run(new String[] {"--data", dir.resolve("none").toString()}))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> RecsEvaluateCli.run(new String[] {"--data", ratings.toString()}))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> RecsEvaluateCli.run(new String[] {"--data", ratings.toString(), "--k", "ten"}))
                .hasMessageContaining("--k");
    }

    @Test
    void withoutDataItEvaluatesOnTheProjectsGeneratedData() throws Exception {
        JsonNode result = EventJson.MAPPER.readTree(stdoutOf("--algorithm", "most-popular", "--out",
                dir.toString(), "--json"));

        assertThat(result.get("users").asInt()).isEqualTo(943);
        assertThat(result.get("items").asInt()).isEqualTo(1682);
        assertThat(result.get("data").asString()).endsWith("u.data");
        assertThat(result.get("algorithms").get("most-popular").get("diversity").asDouble()).isBetween(0.0, 1.0);
        assertThat(dir.resolve("generated").resolve("u.item")).isNotEmptyFile();
    }

    private static String stdoutOf(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(RecsEvaluateCli.run(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
