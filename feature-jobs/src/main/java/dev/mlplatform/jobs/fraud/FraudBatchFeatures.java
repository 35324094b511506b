package dev.mlplatform.jobs.fraud;

import dev.mlplatform.core.schedule.DailyAt;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fraud system's daily batch: materializes {@link FraudFeatures#BATCH_VIEWS} as of the start of a day (UTC)
 * from the payment log the streaming job keeps in the offline store, into both stores. The aggregation runs in
 * Postgres, where the log lies ({@link FeatureStore#materialize}); a rerun for the same day writes the same rows.
 *
 * <p>In production a scheduler (a Kubernetes CronJob, Airflow) runs {@link #main} shortly after midnight; the
 * local platform runs it at start and after each midnight ({@link #scheduleDaily}). Until a day's run is done,
 * the service reads the previous day's rows.
 */
public final class FraudBatchFeatures {

    private static final Logger log = LoggerFactory.getLogger(FraudBatchFeatures.class);

    /** A minute past midnight: the stream has logged the day's last payments by then (watermark, sink flush). */
    static final DailyAt DAILY = new DailyAt(LocalTime.of(0, 1));

    private FraudBatchFeatures() {
    }

    /** Materializes every batch view as of {@code cutoff}; returns the rows written per view. */
    public static Map<FeatureView, Integer> materialize(FeatureStore store, Instant cutoff) {
        store.register(FraudFeatures.PAYMENT_LOG);
        FraudFeatures.BATCH_VIEWS.forEach(store::register);
        Map<FeatureView, Integer> written = new LinkedHashMap<>();
        long started = System.nanoTime();
        written.put(FraudFeatures.CUSTOMER_SPENDING,
                store.materialize(FraudFeatures.CUSTOMER_SPENDING, CustomerSpending.CUSTOMER_SQL, cutoff));
        written.put(FraudFeatures.MCC_SPENDING, store.materialize(FraudFeatures.MCC_SPENDING, CustomerSpending.MCC_SQL, cutoff));
        log.info("materialized the fraud batch features as of {} in {} ms: {} customer and {} category rows", cutoff,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), written.get(FraudFeatures.CUSTOMER_SPENDING),
                written.get(FraudFeatures.MCC_SPENDING));
        return written;
    }

    /**
     * Runs the batch for today now, then after every midnight (UTC), on a thread of its own; a failed run is
     * logged and tried again at the next. Shut the returned executor down to stop.
     */
    public static ScheduledExecutorService scheduleDaily(FeatureStoreConnection connection, Clock clock) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "fraud-batch-features");
            thread.setDaemon(true);
            return thread;
        });
        Runnable run = () -> {
            try (FeatureStore store = FeatureStore.open(connection)) {
                materialize(store, CustomerSpending.cutoffOf(clock.millis()));
            } catch (RuntimeException e) {
                log.warn("the fraud batch features were not materialized; the next run tries again: {}", e.getMessage());
            }
        };
        executor.execute(run);
        DAILY.schedule(executor, run, clock);
        return executor;
    }

    /** {@code --date 2026-11-27} (default: today, UTC); the stores from the same settings as the streaming job. */
    public static void main(String[] args) {
        FraudFeatureJob.Config config = FraudFeatureJob.Config.fromArgs(args, System.getenv());
        String date = ParameterTool.fromArgs(args).get("date");
        LocalDate day;
        try {
            day = date == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--date: not a date such as 2026-11-27: '" + date + "'", e);
        }
        try (FeatureStore store = FeatureStore.open(config.featureStore())) {
            LocalDate asOf = day;
            materialize(store, day.atStartOfDay(ZoneOffset.UTC).toInstant())
                    .forEach((view, rows) -> System.out.println(view.id() + ": " + rows + " rows as of " + asOf));
        }
    }
}
