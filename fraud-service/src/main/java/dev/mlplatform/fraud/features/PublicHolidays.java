package dev.mlplatform.fraud.features;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Public holidays by country (ISO 3166 alpha-2), from the Jollyday calendars: whether a payment's day is one and
 * how many days remain to the next. Spending moves around holidays (gifts before Christmas, travel at Easter,
 * shops closed on the day), and a model that knows them need not read a holiday's rush as fraud. This is the
 * calendar part of seasonality; the customer's and category's own last-year season come from the daily batch.
 *
 * <p>Each country's holidays of a year are computed once and kept (a few dozen dates per country and year).
 */
public final class PublicHolidays {

    /** How far ahead the next holiday is looked for; one further away reads as this many days. */
    public static final int HORIZON_DAYS = 30;

    private static final Set<String> CALENDARS = HolidayManager.getSupportedCalendarCodes();
    private static final ConcurrentMap<String, NavigableSet<LocalDate>> DATES = new ConcurrentHashMap<>();

    private PublicHolidays() {
    }

    /** 1 when {@code day} is a public holiday in {@code country}, 0 when not, NaN without a calendar for it. */
    public static double isHoliday(String country, LocalDate day) {
        String code = calendarOf(country);
        return code == null ? Double.NaN : yearOf(code, day.getYear()).contains(day) ? 1 : 0;
    }

    /**
     * Days from {@code day} to the next public holiday after it in {@code country}, at most {@link #HORIZON_DAYS};
     * NaN without a calendar for the country.
     */
    public static double daysToNext(String country, LocalDate day) {
        String code = calendarOf(country);
        if (code == null) {
            return Double.NaN;
        }
        LocalDate next = yearOf(code, day.getYear()).higher(day);
        if (next == null) {
            next = yearOf(code, day.getYear() + 1).higher(day);
        }
        return next == null ? HORIZON_DAYS : Math.min(HORIZON_DAYS, ChronoUnit.DAYS.between(day, next));
    }

    /** Jollyday's calendar code for an ISO country code, or null when it has none. */
    private static String calendarOf(String country) {
        if (country == null) {
            return null;
        }
        String code = country.toUpperCase(Locale.ROOT);
        return CALENDARS.contains(code) ? code : null;
    }

    private static NavigableSet<LocalDate> yearOf(String code, int year) {
        return DATES.computeIfAbsent(code + ":" + year, key -> {
            NavigableSet<LocalDate> dates = new TreeSet<>();
            HolidayManager calendar = HolidayManager.getInstance(ManagerParameters.create(code));
            for (Holiday holiday : calendar.getHolidays(Year.of(year), HolidayType.PUBLIC_HOLIDAY)) {
                dates.add(holiday.getActualDate());
            }
            return dates;
        });
    }
}
