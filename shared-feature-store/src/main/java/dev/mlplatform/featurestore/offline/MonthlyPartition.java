package dev.mlplatform.featurestore.offline;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** One calendar month (UTC) of the feature log: its partition table name and bounds. */
record MonthlyPartition(YearMonth month) {

    static MonthlyPartition of(Instant eventTime) {
        return new MonthlyPartition(YearMonth.from(eventTime.atOffset(ZoneOffset.UTC)));
    }

    /** Four-digit years only; anything else stays in the default partition. */
    boolean hasOwnTable() {
        return month.getYear() >= 1000 && month.getYear() <= 9999;
    }

    String tableName() {
        return "feature_log_p%04d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    /** Inclusive lower bound. */
    Instant from() {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Exclusive upper bound. */
    Instant to() {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    String createStatement() {
        return "CREATE TABLE IF NOT EXISTS featurestore." + tableName()
                + " PARTITION OF featurestore.feature_log FOR VALUES FROM ('" + from() + "') TO ('" + to() + "')";
    }
}
