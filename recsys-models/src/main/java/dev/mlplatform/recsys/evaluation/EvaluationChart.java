package dev.mlplatform.recsys.evaluation;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** The metrics of each algorithm beside the published figures, as one bar chart (PNG). */
public final class EvaluationChart {

    private EvaluationChart() {
    }

    /**
     * @param measured  per algorithm, its metrics
     * @param published per published algorithm, its nDCG@k, precision@k, recall@k and MAP (null where unknown)
     */
    public static void write(Path file, int k, Map<String, RankingMetrics> measured, Map<String, double[]> published)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String[] metrics = {"nDCG@" + k, "Precision@" + k, "Recall@" + k, "MAP"};
        measured.forEach((name, m) -> {
            double[] values = {m.ndcg(), m.precision(), m.recall(), m.map()};
            for (int i = 0; i < metrics.length; i++) {
                data.addValue(values[i], name, metrics[i]);
            }
        });
        published.forEach((name, values) -> {
            for (int i = 0; i < metrics.length; i++) {
                if (!Double.isNaN(values[i])) {
                    data.addValue(values[i], name + " (published)", metrics[i]);
                }
            }
        });
        JFreeChart chart = ChartFactory.createBarChart("Top-" + k + " recommendation, per-user 75/25 split",
                null, "value", data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 560);
    }
}
