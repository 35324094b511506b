package dev.mlplatform.fraud.training;

import dev.mlplatform.core.evaluation.BinaryClassificationMetrics;
import dev.mlplatform.core.evaluation.BinaryClassificationMetrics.OperatingPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The precision-recall and ROC curves of several models on the same axes, as PNG files. */
final class CurveCharts {

    /** Enough points for a smooth line at the chart's width; a test set has tens of thousands of thresholds. */
    private static final int MAX_POINTS = 2_000;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private CurveCharts() {
    }

    /** Recall across, precision up; each model's label names its Average Precision. */
    static void precisionRecall(Path file, String title, Map<String, BinaryClassificationMetrics> models)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        models.forEach((name, metrics) -> {
            // Starting where nothing is flagged yet: recall 0 at precision 1, scikit-learn's convention.
            data.addSeries(series(String.format("%s (AP %.3f)", name, metrics.averagePrecision()), 0, 1,
                    metrics.operatingPoints(), OperatingPoint::recall, OperatingPoint::precision));
        });
        write(file, title, data, "recall", "precision");
    }

    /** False positive rate across, true positive rate (recall) up; each label names its AUC. */
    static void roc(Path file, String title, Map<String, BinaryClassificationMetrics> models) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        models.forEach((name, metrics) -> {
            data.addSeries(series(String.format("%s (AUC %.3f)", name, metrics.aucRoc()), 0, 0,
                    metrics.operatingPoints(), OperatingPoint::falsePositiveRate, OperatingPoint::recall));
        });
        XYSeries chance = new XYSeries("chance", false, true);
        chance.add(0.0, 0.0);
        chance.add(1.0, 1.0);
        data.addSeries(chance);
        write(file, title, data, "false positive rate", "true positive rate (recall)");
    }

    /**
     * The curve from {@code (startX, startY)} through the points in threshold order (highest first, so x
     * never decreases): every point when few, else an even selection that keeps the first and the last.
     */
    private static XYSeries series(String name, double startX, double startY, List<OperatingPoint> points,
                                   ToDoubleFunction<OperatingPoint> x, ToDoubleFunction<OperatingPoint> y) {
        XYSeries series = new XYSeries(name, false, true);
        series.add(startX, startY);
        int n = points.size();
        int stride = Math.max(1, (int) Math.ceil(n / (double) MAX_POINTS));
        for (int i = 0; i < n; i += stride) {
            series.add(x.applyAsDouble(points.get(i)), y.applyAsDouble(points.get(i)));
        }
        if (n > 0 && (n - 1) % stride != 0) {
            series.add(x.applyAsDouble(points.get(n - 1)), y.applyAsDouble(points.get(n - 1)));
        }
        return series;
    }

    private static void write(Path file, String title, XYSeriesCollection data, String xLabel, String yLabel)
            throws IOException {
        NumberAxis x = new NumberAxis(xLabel);
        x.setRange(0, 1);
        NumberAxis y = new NumberAxis(yLabel);
        y.setRange(0, 1.02);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean chance = "chance".equals(data.getSeriesKey(i));
            renderer.setSeriesPaint(i, chance ? Color.GRAY : COLORS[i % COLORS.length]);
            renderer.setSeriesStroke(i, chance
                    ? new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f)
                    : new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 700);
    }
}
