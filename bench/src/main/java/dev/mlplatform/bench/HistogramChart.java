package dev.mlplatform.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws latency by percentile, the way HdrHistogram's plotter does: the x axis is {@code 1 / (1 - p)} on
 * a log scale, so that 90 %, 99 %, 99.9 % and 99.99 % are equally spaced and the tail is visible.
 */
final class HistogramChart {

    private HistogramChart() {
    }

    /** The points (x = 1 / (1 - percentile), y = latency in ms) of a histogram recorded in microseconds. */
    static XYSeries series(String name, Histogram histogram) {
        XYSeries series = new XYSeries(name, false, true);
        if (histogram.getTotalCount() == 0) {
            return series;
        }
        for (HistogramIterationValue value : histogram.percentiles(5)) {
            double percentile = value.getPercentileLevelIteratedTo() / 100.0;
            if (percentile >= 1.0) {
                break;
            }
            series.add(1 / (1 - percentile), value.getValueIteratedTo() / 1000.0);
        }
        // The maximum, drawn at the last step the sample size can show.
        double lastX = Math.max(series.isEmpty() ? 2 : series.getMaxX(), histogram.getTotalCount());
        series.add(lastX, histogram.getMaxValue() / 1000.0);
        return series;
    }

    /** Writes a PNG of the named histograms (microseconds) to {@code file}. */
    static void write(Path file, String title, Map<String, Histogram> histograms) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        histograms.forEach((name, histogram) -> data.addSeries(series(name, histogram)));

        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new PercentileFormat());
        x.setSmallestValue(1);
        x.setAutoRange(true);
        NumberAxis y = new NumberAxis("latency (ms)");
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, colors[i % colors.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 600);
    }

    /** One histogram under one name. */
    static Map<String, Histogram> of(String name, Histogram histogram) {
        Map<String, Histogram> map = new LinkedHashMap<>();
        map.put(name, histogram);
        return map;
    }

    /** Labels {@code 1 / (1 - p)} as the percentile it stands for: 10 → 90%, 1000 → 99.9%. */
    static final class PercentileFormat extends java.text.NumberFormat {
        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, java.text.FieldPosition pos) {
            double percentile = 100 * (1 - 1 / number);
            String text = percentile == Math.rint(percentile)
                    ? String.format("%.0f%%", percentile)
                    : String.format("%s%%", stripZeros(percentile));
            return toAppendTo.append(text);
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, java.text.FieldPosition pos) {
            return format((double) number, toAppendTo, pos);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition parsePosition) {
            throw new UnsupportedOperationException("labels only");
        }

        private static String stripZeros(double value) {
            return new java.math.BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString();
        }
    }
}
