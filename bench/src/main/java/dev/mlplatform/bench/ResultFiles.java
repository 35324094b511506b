package dev.mlplatform.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a run's results under {@code bench/results/}: {@code <run>.json} (the summary),
 * {@code <run>.hgrm} (HdrHistogram's percentile distribution, in ms) and {@code <run>.png} (the chart).
 */
final class ResultFiles {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final JsonMapper JSON_LINE = JsonMapper.builder().build();

    private final Path directory;

    ResultFiles(Path directory) {
        this.directory = directory;
    }

    /** Writes the three files for {@code name} and returns the chart's path. */
    Path write(String name, Object summary, String title, Map<String, Histogram> histograms) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".json"), JSON.writeValueAsString(summary) + "\n");
        Histogram first = histograms.values().iterator().next();
        try (PrintStream out = new PrintStream(Files.newOutputStream(directory.resolve(name + ".hgrm")), true,
                java.nio.charset.StandardCharsets.UTF_8)) {
            // Values are microseconds: scale by 1000 to print milliseconds.
            first.outputPercentileDistribution(out, 5, 1000.0);
        }
        Path png = directory.resolve(name + ".png");
        HistogramChart.write(png, title, histograms);
        return png;
    }
}
