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
    }

    @Test
    void countsTheDaysToTheNextHolidayAcrossNewYearAndUpToTheHorizon() {
        assertThat(PublicHolidays.daysToNext("FR", LocalDate.of(2026, 7, 10))).isEqualTo(4);
        assertThat(PublicHolidays.daysToNext("FR", LocalDate.of(2026, 7, 14)))
                .as("the next one after today is 15 August, 32 days on: beyond the horizon").isEqualTo(30);
        assertThat(PublicHolidays.daysToNext("FR", LocalDate.of(2026, 7, 20))).as("15 August").isEqualTo(26);
        assertThat(PublicHolidays.daysToNext("FR", LocalDate.of(2026, 12, 26))).as("New Year's Day").isEqualTo(6);
    }

    @Test
    void aMissingOrUnknownCountryIsMissing() {
        LocalDate day = LocalDate.of(2026, 7, 14);

        assertThat(PublicHolidays.isHoliday(null, day)).isNaN();
        assertThat(PublicHolidays.isHoliday("XX", day)).isNaN();
        assertThat(PublicHolidays.daysToNext("XX", day)).isNaN();
    }
}
