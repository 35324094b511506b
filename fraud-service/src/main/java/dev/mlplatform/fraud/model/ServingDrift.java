package dev.mlplatform.fraud.model;

import dev.mlplatform.core.monitoring.DriftMonitor;
import dev.mlplatform.core.monitoring.DriftReference;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.fraud.decision.DecisionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the serving model's score and main inputs for drift away from what it was trained on.
 * Training stores the reference distributions, measured on the held-out days, with the model
 * version ({@link #reference}); when a version goes into service, a {@link DriftMonitor} is built
 * from its reference, and every new decision that version made is counted in it. Published as
 * {@code fraud.drift.psi}, {@code fraud.drift.ks} and {@code fraud.drift.window.observations},
 * tagged {@code version} and {@code feature} ({@value #RISK_SCORE} for the score). A version
 * registered without a reference serves without drift gauges.
 */
public final class ServingDrift implements AutoCloseable {

    /** The feature name under which the model's score is monitored. */
    public static final String RISK_SCORE = "risk_score";

    /**
     * Beside the score, the inputs watched: the amount and the card's velocity, which the model
     * leans on most and which a change in traffic or in the feature pipeline moves first.
     */
    public static final List<String> FEATURES = List.of("amount", "tx_count_1m", "tx_amount_1m", "tx_count_5m",
            "tx_amount_5m", "tx_count_1h", "tx_amount_1h", "amount_to_mean_1h");

    private static final Logger log = LoggerFactory.getLogger(ServingDrift.class);

    /** A version in service and its monitor. */
    private record Watched(String version, DriftMonitor monitor) {
    }

    private final MeterRegistry meters;
    private final int window;
    private volatile Watched watched;

    /** @param window decisions per feature that drift is measured over */
    public ServingDrift(MeterRegistry meters, int window) {
        this.meters = meters;
        this.window = window;
    }

    /** The reference distributions of the score and {@link #FEATURES} over held-out rows and their scores. */
    public static DriftReference reference(float[] scores, float[][] rows) {
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put(RISK_SCORE, column(scores.length, i -> scores[i]));
        for (String feature : FEATURES) {
            int index = FraudFeatureVector.indexOf(feature);
            samples.put(feature, column(rows.length, i -> rows[i][index]));
        }
        return DriftReference.fit(samples, DriftReference.DEFAULT_BINS);
    }

    /** Counts a new decision against the reference of the version that made it. */
    public void record(DecisionRecord record) {
        Watched current = watched;
        if (current == null || !current.version().equals(record.decision().modelVersion())) {
            return;
        }
        DriftMonitor monitor = current.monitor();
        List<String> features = monitor.features();
        for (int i = 0; i < features.size(); i++) {
            String feature = features.get(i);
            if (feature.equals(RISK_SCORE)) {
                monitor.observe(i, record.decision().riskScore());
            } else {
                Double value = record.features().get(feature);
                monitor.observe(i, value == null ? Double.NaN : value);
            }
        }
    }

    /** Monitors {@code version}, which has just gone into service, in place of the one before. */
    synchronized void watch(ModelVersion version) {
        Watched previous = watched;
        watched = null;
        if (previous != null) {
            // Before the new monitor registers: a reloaded version would otherwise get the old gauges back.
            previous.monitor().close();
        }
        Optional<DriftReference> reference;
        try {
            reference = DriftReference.fromLineageParams(version.lineage().params());
        } catch (RuntimeException e) {
            log.warn("model {} has an unreadable drift reference, serving it without drift monitoring: {}",
                    version.reference(), e.getMessage());
            return;
        }
        if (reference.isEmpty()) {
            log.info("model {} was registered without a drift reference (trained before drift monitoring): "
                    + "serving it without drift gauges", version.reference());
            return;
        }
        watched = new Watched(version.reference(), new DriftMonitor(reference.get(), window, meters, "fraud",
                Tags.of("version", version.reference())));
        log.info("watching model {} for drift: {} over the last {} decisions", version.reference(),
                reference.get().features().keySet(), window);
    }

    @Override
    public synchronized void close() {
        Watched current = watched;
        watched = null;
        if (current != null) {
            current.monitor().close();
        }
    }

    private static double[] column(int rows, IntToDoubleFunction valueAt) {
        double[] column = new double[rows];
        for (int i = 0; i < rows; i++) {
            column[i] = valueAt.applyAsDouble(i);
        }
        return column;
    }
}
