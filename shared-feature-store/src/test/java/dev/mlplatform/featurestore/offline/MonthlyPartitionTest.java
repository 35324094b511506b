package dev.mlplatform.featurestore.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MonthlyPartitionTest {

    @Test
    void coversOneUtcMonthHalfOpen() {
        MonthlyPartition november = MonthlyPartition.of(Instant.parse("2026-11-26T10:15:30Z"));

        assertThat(november.tableName()).isEqualTo("feature_log_p2026_11");
        assertThat(november.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(november.to()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(MonthlyPartition.of(Instant.parse("2026-11-30T23:59:59.999999Z"))).isEqualTo(november);
        assertThat(MonthlyPartition.of(Instant.parse("2026-12-01T00:00:00Z"))).isNotEqualTo(november);
    }

    @Test
    void rollsOverTheYear() {
        MonthlyPartition december = MonthlyPartition.of(Instant.parse("2026-12-31T23:00:00Z"));

        assertThat(december.to()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(december.createStatement()).isEqualTo("CREATE TABLE IF NOT EXISTS featurestore.feature_log_p2026_12"
                + " PARTITION OF featurestore.feature_log FOR VALUES FROM ('2026-12-01T00:00:00Z')"
                + " TO ('2027-01-01T00:00:00Z')");
    }

    @Test
    void leavesYearsOutsideFourDigitsToTheDefaultPartition() {
        assertThat(MonthlyPartition.of(Instant.parse("2026-01-01T00:00:00Z")).hasOwnTable()).isTrue();
        assertThat(MonthlyPartition.of(Instant.parse("+10000-01-01T00:00:00Z")).hasOwnTable()).isFalse();
    }
}
