package dev.mlplatform.fraud.model;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.fraud.features.StreamedFeatureReplay;
import dev.mlplatform.simulators.fraud.LabelledTransaction;
import dev.mlplatform.simulators.fraud.SimulationConfig;
import dev.mlplatform.simulators.fraud.TransactionSimulator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * Labelled feature rows built from the project's transaction simulator, with the streamed features
 * replayed over the simulated history by {@link StreamedFeatureReplay}, the very arithmetic the Flink
 * job runs online; each row's transaction is part of its own windows, as at serving time.
 *
 * @param features  one {@link FraudFeatureVector} per transaction, in event-time order
 * @param labels    1 for fraud, 0 otherwise
 * @param times     each row's event time
 * @param cards     each row's card (for per-card metrics)
 */
public record FraudTrainingSet(float[][] features, float[] labels, Instant[] times, String[] cards) {

    /** The first {@code days} simulated days of {@code config}. */
    public static FraudTrainingSet simulate(SimulationConfig config, int days) {
        return of(new TransactionSimulator(config).generate(days));
    }

    /** Rows for labelled transactions given in event-time order. */
    public static FraudTrainingSet of(List<LabelledTransaction> transactions) {
        int n = transactions.size();
        StreamedFeatureReplay replay = new StreamedFeatureReplay();
        float[][] features = new float[n][];
        float[] labels = new float[n];
        Instant[] times = new Instant[n];
        String[] cards = new String[n];
        for (int i = 0; i < n; i++) {
            TransactionEvent tx = transactions.get(i).transaction();
            features[i] = FraudFeatureVector.of(tx, replay.next(tx));
            labels[i] = transactions.get(i).fraud() ? 1f : 0f;
            if (transactions.get(i).fraud()) {
                // Known at once here; the features read it only once the label delay has passed.
                replay.label(new FraudLabel(tx.transactionId(), tx.merchantId(), tx.timestamp(), tx.timestamp()));
            }
            times[i] = tx.timestamp();
            cards[i] = tx.cardNumber();
        }
        return new FraudTrainingSet(features, labels, times, cards);
    }

    public int size() {
        return labels.length;
    }

    public int positives() {
        int positives = 0;
        for (float label : labels) {
            positives += label > 0 ? 1 : 0;
        }
        return positives;
    }

    /** The rows with event time in {@code [from, to)}. */
    public FraudTrainingSet between(Instant from, Instant to) {
        return where(i -> !times[i].isBefore(from) && times[i].isBefore(to));
    }

    private FraudTrainingSet where(Predicate<Integer> keep) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (keep.test(i)) {
                kept.add(i);
            }
        }
        float[][] f = new float[kept.size()][];
        float[] l = new float[kept.size()];
        Instant[] t = new Instant[kept.size()];
        String[] c = new String[kept.size()];
        for (int j = 0; j < kept.size(); j++) {
            int i = kept.get(j);
            f[j] = features[i];
            l[j] = labels[i];
            t[j] = times[i];
            c[j] = cards[i];
        }
        return new FraudTrainingSet(f, l, t, c);
    }

    /** SHA-256 of the rows and labels: names exactly the data a model was trained on. */
    public String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(Float.BYTES * (FraudFeatureVector.SIZE + 1) + Long.BYTES);
            for (int i = 0; i < labels.length; i++) {
                buffer.clear();
                for (float value : features[i]) {
                    buffer.putFloat(value);
                }
                buffer.putFloat(labels[i]);
                buffer.putLong(times[i].toEpochMilli());
                digest.update(buffer.array(), 0, buffer.position());
            }
            digest.update(String.join(",", FraudFeatureVector.NAMES).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The training data's id in the registry: the simulator run that produced it. */
    public static String dataId(SimulationConfig config, int days) {
        return "simulator:fraud/TransactionSimulator?customers=" + config.customers() + "&terminals="
                + config.terminals() + "&start=" + config.startDay() + "&days=" + days + "&seed=" + config.seed()
                + "&compromisedTerminalsPerDay=" + config.compromisedTerminalsPerDay() + "&compromisedCardsPerDay="
                + config.compromisedCardsPerDay() + "&cardTestingBurstsPerDay=" + config.cardTestingBurstsPerDay();
    }
}
