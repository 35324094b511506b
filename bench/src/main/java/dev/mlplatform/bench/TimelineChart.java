package dev.mlplatform.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A run second by second: above, the p99 latency of the transactions sent in each second (log scale); below,
 * the backlog (produced, not yet decided); the burst shaded in both.
 */
final class TimelineChart {

    private TimelineChart() {
    }

    static void write(Path file, String title, List<KafkaBench.Second> seconds, KafkaBench.Burst burst)
            throws IOException {
        XYSeries p99 = new XYSeries("p99 of the transactions sent in the second (ms)");
        XYSeries backlog = new XYSeries("backlog at the end of the second (transactions)");
        for (KafkaBench.Second second : seconds) {
            if (second.p99Ms() != null) {
                p99.add(second.second(), Math.max(0.1, second.p99Ms()));
            }
            backlog.add(second.second(), second.backlog());
        }
        LogAxis latencyAxis = new LogAxis("p99 (ms)");
        latencyAxis.setSmallestValue(0.1);
        XYPlot latency = plot(new XYSeriesCollection(p99), latencyAxis, new Color(0x1f77b4), burst);
        XYPlot waiting = plot(new XYSeriesCollection(backlog), new NumberAxis("backlog"), new Color(0xff7f0e), burst);

        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("seconds since the first send"));
        combined.add(latency, 2);
        combined.add(waiting, 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 700);
    }

    private static XYPlot plot(XYSeriesCollection data, ValueAxis range, Color color,
                               KafkaBench.Burst burst) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        IntervalMarker marker = new IntervalMarker(burst.startSecond(), burst.endSecond());
        marker.setPaint(new Color(255, 0, 0, 40));
        plot.addDomainMarker(marker);
        return plot;
    }
}
