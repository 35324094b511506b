package dev.mlplatform.fraud.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PublicHolidaysTest {

    @Test
    void knowsEachCountrysOwnHolidays() {
        LocalDate bastilleDay = LocalDate.of(2026, 7, 14);

        assertThat(PublicHolidays.isHoliday("FR", bastilleDay)).isEqualTo(1);
        assertThat(PublicHolidays.isHoliday("DE", bastilleDay)).isZero();
        assertThat(PublicHolidays.isHoliday("DE", LocalDate.of(2026, 10, 3))).isEqualTo(1);
        assertThat(PublicHolidays.isHoliday("FR", LocalDate.of(2026, 7, 15))).isZero();
        assertThat(PublicHolidays.isHoliday("fr", LocalDate.of(2027, 1, 1))).isEqualTo(1);
    }

    @Test
    void aMissingOrUnknownCountryIsMissing() {
        LocalDate day = LocalDate.of(2026, 7, 14);

        assertThat(PublicHolidays.isHoliday(null, day)).isNaN();
        assertThat(PublicHolidays.isHoliday("XX", day)).isNaN();
    }
}
