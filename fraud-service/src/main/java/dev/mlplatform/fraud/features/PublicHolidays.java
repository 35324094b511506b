package dev.mlplatform.fraud.features;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Public holidays by country (ISO 3166 alpha-2), from the Jollyday calendars: whether a payment's day is one.
 * Spending moves on holidays (shops closed, travel, gifts), and a model that knows them need not read a
 * holiday's pattern as fraud. This is the calendar part of seasonality; the customer's and the category's own
 * last-year season come from the daily batch.
 *
 * <p>The days to the next holiday were tried as a feature too: in the service's three simulated weeks, which
 * hold Easter in their training days only, it served the trees as a date and cost 0.015 of average
 * precision on the held-out week.
 *
 * <p>Each country's holidays of a year are computed once and kept (a dozen or so dates per country and year).
 */
public final class PublicHolidays {

    private static final Set<String> CALENDARS = HolidayManager.getSupportedCalendarCodes();
    private static final ConcurrentMap<String, Set<LocalDate>> DATES = new ConcurrentHashMap<>();

    private PublicHolidays() {
    }

    /** 1 when {@code day} is a public holiday in {@code country}, 0 when not, NaN without a calendar for it. */
    public static double isHoliday(String country, LocalDate day) {
        String code = calendarOf(country);
        return code == null ? Double.NaN : yearOf(code, day.getYear()).contains(day) ? 1 : 0;
    }

    /** Jollyday's calendar code for an ISO country code, or null when it has none. */
    private static String calendarOf(String country) {
        if (country == null) {
            return null;
        }
        String code = country.toUpperCase(Locale.ROOT);
        return CALENDARS.contains(code) ? code : null;
    }

    private static Set<LocalDate> yearOf(String code, int year) {
        return DATES.computeIfAbsent(code + ":" + year, key -> {
            Set<LocalDate> dates = new HashSet<>();
            HolidayManager calendar = HolidayManager.getInstance(ManagerParameters.create(code));
            for (Holiday holiday : calendar.getHolidays(Year.of(year), HolidayType.PUBLIC_HOLIDAY)) {
                dates.add(holiday.getActualDate());
            }
            return dates;
        });
    }
}
