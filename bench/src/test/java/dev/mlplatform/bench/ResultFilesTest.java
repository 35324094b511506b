package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @Test
    void writesTheSummaryThePercentileDistributionAndAChart(@TempDir Path directory) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 10_000; i++) {
            histogram.recordValue(i * 10L);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("benchmark", "rest");
        summary.put("latencyMs", LatencySummary.ofMicros(histogram));

        Path png = new ResultFiles(directory).write("rest-test", summary, "test", HistogramChart.of("latency", histogram));

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.readString(directory.resolve("rest-test.hgrm"))).contains("Percentile").contains("#[Max");
        String json = Files.readString(directory.resolve("rest-test.json"));
        assertThat(ResultFiles.JSON.readTree(json).get("latencyMs").get("p50Ms").asDouble()).isBetween(49.9, 50.1);
    }

    @Test
    void plotsLatencyAgainstOneOverOneMinusThePercentile() {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            histogram.recordValue(i * 1000L);
        }
        XYSeries series = HistogramChart.series("x", histogram);
        // x = 1 / (1 - p), y = the latency at p in ms: 2 at the median.
        assertThat(series.getItemCount()).isGreaterThan(20);
        double atMedian = Double.NaN;
        for (int i = 0; i < series.getItemCount() - 1; i++) {
            double x = series.getX(i).doubleValue();
            double y = series.getY(i).doubleValue();
            double percentile = 100 * (1 - 1 / x);
            assertThat(y).isCloseTo(histogram.getValueAtPercentile(percentile) / 1000.0,
                    org.assertj.core.data.Offset.offset(5.0));
            if (Math.abs(x - 2) < 1e-9) {
                atMedian = y;
            }
        }
        assertThat(atMedian).isBetween(499.0, 501.0);
        assertThat(series.getMaxY()).isBetween(999.0, 1001.0);
        assertThat(new HistogramChart.PercentileFormat().format(1000.0)).isEqualTo("99.9%");
        assertThat(new HistogramChart.PercentileFormat().format(10.0)).isEqualTo("90%");
    }
}
