package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.registry.Feature;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.ValueType;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a card's devices and locations say about a payment, free of Flink and Spring: the arithmetic of
 * {@link FraudFeatures#CARD_ACTIVITY} and {@link FraudFeatures#CARD_DEVICE_HISTORY} for the streaming
 * job (one {@link CardState} per card as keyed state), the offline replay for training (the same
 * state, fed in event-time order) and the scoring service ({@link #features}).
 *
 * <ul>
 *   <li>Device novelty: whether the card never paid from this device before (within
 *       {@link #DEVICE_MEMORY}), and how many devices it paid from in the last 30 days, this one
 *       included. A stolen card is typically tried from a device its owner never used.</li>
 *   <li>Merchants: how many distinct merchants the card paid in the last day, this one included (a stolen
 *       card is tried at many shops in a short time). The row carries each merchant with its last payment
 *       ({@code merchants_1d_seen}), so that the service can tell whether this payment's merchant is new.</li>
 *   <li>Location anomaly: the distance from the card's previous located payment and the speed it
 *       implies (impossible travel: a payment in Lisbon ten minutes after one in Warsaw).</li>
 * </ul>
 *
 * <p>The state's rows change at a payment's event time, when a device leaves the 30-day window
 * ({@link #DEVICE_WINDOW} after the card last used it) and when a merchant leaves the day's window: the job emits a card row at each of these instants
 * ({@link CardState#changeTimesOf}), so that the latest online row is exact until the next change.
 */
public final class CardActivity {

    /** Devices used within this window count in {@code devices_30d}. */
    public static final Duration DEVICE_WINDOW = Duration.ofDays(30);
    /** Merchants paid within this window count in {@code merchants_1d}. */
    public static final Duration MERCHANT_WINDOW = Duration.ofDays(1);
    /** A card's use of a device is remembered this long after its last payment from it. */
    public static final Duration DEVICE_MEMORY = Duration.ofDays(90);
    /** The shortest time a speed is computed over: two payments a second apart are not 3,600 times faster. */
    static final Duration MIN_TRAVEL_TIME = Duration.ofMinutes(1);

    static final String DEVICES_30D = "devices_30d";
    static final String MERCHANTS_1D = "merchants_1d";
    static final String MERCHANTS_1D_SEEN = "merchants_1d_seen";
    static final String LAST_PAYMENT_MILLIS = "last_payment_millis";
    static final String LAST_LOCATED_MILLIS = "last_located_millis";
    static final String LAST_LAT = "last_lat";
    static final String LAST_LON = "last_lon";
    static final String PREVIOUS_LOCATED_MILLIS = "previous_located_millis";
    static final String PREVIOUS_LAT = "previous_lat";
    static final String PREVIOUS_LON = "previous_lon";
    static final String FIRST_SEEN_MILLIS = "first_seen_millis";
    static final String LAST_SEEN_MILLIS = "last_seen_millis";
    static final String PAYMENTS = "payments";

    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final long DEVICE_WINDOW_MILLIS = DEVICE_WINDOW.toMillis();
    private static final long DEVICE_MEMORY_MILLIS = DEVICE_MEMORY.toMillis();
    private static final long MERCHANT_WINDOW_MILLIS = MERCHANT_WINDOW.toMillis();

    private CardActivity() {
    }

    /** One payment as this arithmetic sees it; {@code deviceId} and the location may be absent (null, NaN). */
    public record Payment(long epochMillis, String deviceId, String merchantId, double lat, double lon)
            implements Serializable {

        /** The transaction as this arithmetic sees it: when, from which device (or none), at which merchant, where (or NaN). */
        public static Payment of(TransactionEvent tx) {
            TransactionEvent.GeoPoint location = tx.location();
            return new Payment(tx.timestamp().toEpochMilli(), tx.deviceId(), tx.merchantId(),
                    location == null ? Double.NaN : location.lat(), location == null ? Double.NaN : location.lon());
        }

        public boolean located() {
            return !Double.isNaN(lat) && !Double.isNaN(lon);
        }
    }

    /** The entity id of {@link FraudFeatures#CARD_DEVICE_HISTORY}: the card token and the device, joined by '|'. */
    public static String cardDeviceKey(String cardToken, String deviceId) {
        return cardToken + '|' + deviceId;
    }

    /**
     * The features of a payment, this payment included.
     *
     * @param newDevice   1 when the card never paid from the payment's device before, else 0 (0 without a device)
     * @param devices30d  the devices of the last 30 days, this one included
     * @param merchants1d the distinct merchants of the last day, this one included
     * @param distanceKm  great-circle distance from the previous located payment (NaN without one)
     * @param speedKmh    that distance over the time between the two (NaN without one)
     */
    public record Features(double newDevice, long devices30d, long merchants1d, double distanceKm, double speedKmh) {
    }

    /**
     * The features of {@code payment} from the card's latest {@link FraudFeatures#CARD_ACTIVITY} row and the
     * {@link FraudFeatures#CARD_DEVICE_HISTORY} row of the card and the payment's device (either {@code null}
     * when absent). The rows are as of their last change, the payment not yet in them, or, when the card row's
     * last payment is this payment's instant, written after the job saw it (the service and the job read the
     * same topic): then the payment is not added twice and the travel is measured from the payment before.
     */
    public static Features features(FeatureRow cardRow, FeatureRow cardDeviceRow, Payment payment) {
        long t = payment.epochMillis();
        boolean alreadyIn = cardRow != null && (long) cardRow.getDouble(LAST_PAYMENT_MILLIS, Long.MIN_VALUE) == t;
        double newDevice = 0;
        long devices = cardRow == null ? 0 : (long) cardRow.getDouble(DEVICES_30D, 0);
        if (payment.deviceId() != null) {
            long firstSeen = cardDeviceRow == null ? Long.MIN_VALUE : (long) cardDeviceRow.getDouble(FIRST_SEEN_MILLIS, Long.MIN_VALUE);
            long lastSeen = cardDeviceRow == null ? Long.MIN_VALUE : (long) cardDeviceRow.getDouble(LAST_SEEN_MILLIS, Long.MIN_VALUE);
            newDevice = firstSeen == Long.MIN_VALUE || firstSeen == t ? 1 : 0;
            boolean inWindow = lastSeen > t - DEVICE_WINDOW_MILLIS;
            if (!alreadyIn && !inWindow) {
                devices++;
            }
        }
        long merchants = cardRow == null ? 0 : (long) cardRow.getDouble(MERCHANTS_1D, 0);
        if (!alreadyIn && payment.merchantId() != null
                && lastSeen(cardRow, payment.merchantId()) <= t - MERCHANT_WINDOW_MILLIS) {
            merchants++;
        }
        double distance = Double.NaN;
        double speed = Double.NaN;
        if (payment.located() && cardRow != null) {
            String millis = alreadyIn ? PREVIOUS_LOCATED_MILLIS : LAST_LOCATED_MILLIS;
            long from = (long) cardRow.getDouble(millis, Long.MIN_VALUE);
            if (from != Long.MIN_VALUE && from <= t) {
                double lat = cardRow.getDouble(alreadyIn ? PREVIOUS_LAT : LAST_LAT, Double.NaN);
                double lon = cardRow.getDouble(alreadyIn ? PREVIOUS_LON : LAST_LON, Double.NaN);
                distance = kilometres(lat, lon, payment.lat(), payment.lon());
                double hours = Math.max(t - from, MIN_TRAVEL_TIME.toMillis()) / 3_600_000.0;
                speed = distance / hours;
            }
        }
        return new Features(newDevice, devices, merchants, distance, speed);
    }

    /** The card's last payment at {@code merchantId} as the row's {@code merchants_1d_seen} has it, or Long.MIN_VALUE. */
    private static long lastSeen(FeatureRow cardRow, String merchantId) {
        Object seen = cardRow == null ? null : cardRow.values().get(MERCHANTS_1D_SEEN);
        if (!(seen instanceof String text) || text.isEmpty()) {
            return Long.MIN_VALUE;
        }
        for (String entry : text.split(";")) {
            int at = entry.lastIndexOf('@');
            if (entry.substring(0, at).equals(merchantId)) {
                return Long.parseLong(entry.substring(at + 1));
            }
        }
        return Long.MIN_VALUE;
    }

    /** The rows of both views that the job emits for one card, in event-time order. */
    public record Rows(List<FeatureRow> card, List<FeatureRow> cardDevice) {
    }

    /**
     * Every row the streaming job emits for one card's payments: at each {@link CardState#changeTimesOf change
     * time}, the card row and the card-device rows of the devices used at that instant. Offline training,
     * backfills and parity tests use this.
     */
    public static Rows replay(String cardToken, Collection<Payment> payments) {
        List<Payment> sorted = new ArrayList<>(payments);
        sorted.sort(Comparator.comparingLong(Payment::epochMillis));
        TreeSet<Long> times = new TreeSet<>();
        sorted.forEach(payment -> Arrays.stream(CardState.changeTimesOf(payment)).forEach(times::add));
        CardState state = new CardState();
        List<FeatureRow> cardRows = new ArrayList<>();
        List<FeatureRow> cardDeviceRows = new ArrayList<>();
        int next = 0;
        for (long time : times) {
            while (next < sorted.size() && sorted.get(next).epochMillis() <= time) {
                state.add(sorted.get(next++));
            }
            cardRows.add(state.cardRow(cardToken, time));
            cardDeviceRows.addAll(state.cardDeviceRowsAt(cardToken, time));
        }
        return new Rows(cardRows, cardDeviceRows);
    }

    /** Great-circle distance by the haversine formula on a sphere of the Earth's mean radius. */
    public static double kilometres(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    static List<Feature> cardFeatures() {
        return List.of(
                new Feature(DEVICES_30D, ValueType.LONG, "devices the card paid from in the last 30 days"),
                new Feature(MERCHANTS_1D, ValueType.LONG, "distinct merchants the card paid in the last day"),
                new Feature(MERCHANTS_1D_SEEN, ValueType.STRING, "those merchants with the card's last payment at "
                        + "each (epoch ms), as merchant@millis joined by ';' in merchant order"),
                new Feature(LAST_PAYMENT_MILLIS, ValueType.LONG, "event time of the card's last payment (epoch ms)"),
                new Feature(LAST_LOCATED_MILLIS, ValueType.LONG, "event time of its last payment with a location"),
                new Feature(LAST_LAT, ValueType.DOUBLE, "latitude of that payment"),
                new Feature(LAST_LON, ValueType.DOUBLE, "longitude of that payment"),
                new Feature(PREVIOUS_LOCATED_MILLIS, ValueType.LONG, "event time of the located payment before it"),
                new Feature(PREVIOUS_LAT, ValueType.DOUBLE, "latitude of that payment"),
                new Feature(PREVIOUS_LON, ValueType.DOUBLE, "longitude of that payment"));
    }

    static List<Feature> cardDeviceFeatures() {
        return List.of(
                new Feature(FIRST_SEEN_MILLIS, ValueType.LONG, "the card's first payment from the device (epoch ms)"),
                new Feature(LAST_SEEN_MILLIS, ValueType.LONG, "its last payment from the device"),
                new Feature(PAYMENTS, ValueType.LONG, "payments of the card from the device since the first"));
    }

    /**
     * One card's devices and last located payments: the keyed state of a card. Payments must be added
     * in event-time order; a device is forgotten {@link #DEVICE_MEMORY} after its last use, and a card idle
     * that long starts afresh.
     */
    public static final class CardState implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final Map<String, DeviceUse> devices = new HashMap<>();
        private final TreeMap<String, Long> merchantsLastSeen = new TreeMap<>();
        private long lastPaymentMillis = Long.MIN_VALUE;
        private Payment lastLocated;
        private Payment previousLocated;

        private record DeviceUse(long firstSeenMillis, long lastSeenMillis, long payments) implements Serializable {
        }

        /** A state that changes independently of this one: to try payments on without settling them. */
        public CardState copy() {
            CardState copy = new CardState();
            copy.devices.putAll(devices);
            copy.merchantsLastSeen.putAll(merchantsLastSeen);
            copy.lastPaymentMillis = lastPaymentMillis;
            copy.lastLocated = lastLocated;
            copy.previousLocated = previousLocated;
            return copy;
        }

        public void add(Payment payment) {
            long t = payment.epochMillis();
            if (t < lastPaymentMillis) {
                throw new IllegalArgumentException("payment at " + Instant.ofEpochMilli(t) + " added after one at "
                        + Instant.ofEpochMilli(lastPaymentMillis) + ": a card's state grows in event-time order");
            }
            if (lastPaymentMillis != Long.MIN_VALUE && t >= lastPaymentMillis + DEVICE_MEMORY_MILLIS) {
                // Idle for the whole memory: the job has dropped the card's state, the replay does the same.
                lastLocated = null;
                previousLocated = null;
            }
            lastPaymentMillis = t;
            if (payment.deviceId() != null) {
                DeviceUse use = devices.get(payment.deviceId());
                devices.put(payment.deviceId(), use == null ? new DeviceUse(t, t, 1)
                        : new DeviceUse(use.firstSeenMillis(), t, use.payments() + 1));
            }
            if (payment.merchantId() != null) {
                merchantsLastSeen.put(payment.merchantId(), t);
            }
            if (payment.located()) {
                previousLocated = lastLocated;
                lastLocated = payment;
            }
            forgetBefore(t);
        }

        /** The instants the card row changes because of a payment at {@code epochMillis}: then, and when its device leaves the window. */
        public static long[] changeTimesOf(Payment payment) {
            long t = payment.epochMillis();
            return payment.deviceId() == null ? new long[] {t, t + MERCHANT_WINDOW_MILLIS}
                    : new long[] {t, t + MERCHANT_WINDOW_MILLIS, t + DEVICE_WINDOW_MILLIS};
        }

        /** True when nothing is left to remember at {@code epochMillis}: the job may drop the state. */
        public boolean forgottenAt(long epochMillis) {
            forgetBefore(epochMillis);
            return devices.isEmpty() && lastPaymentMillis <= epochMillis - DEVICE_MEMORY_MILLIS;
        }

        /** The card's row at {@code epochMillis}, every payment added so far at or before it. */
        public FeatureRow cardRow(String cardToken, long epochMillis) {
            Map<String, Object> values = new LinkedHashMap<>();
            long recent = devices.values().stream()
                    .filter(use -> use.lastSeenMillis() <= epochMillis && use.lastSeenMillis() > epochMillis - DEVICE_WINDOW_MILLIS)
                    .count();
            values.put(DEVICES_30D, recent);
            StringJoiner seen = new StringJoiner(";");
            long merchants = 0;
            for (Map.Entry<String, Long> merchant : merchantsLastSeen.entrySet()) {
                long last = merchant.getValue();
                if (last <= epochMillis && last > epochMillis - MERCHANT_WINDOW_MILLIS) {
                    seen.add(merchant.getKey() + '@' + last);
                    merchants++;
                }
            }
            values.put(MERCHANTS_1D, merchants);
            values.put(MERCHANTS_1D_SEEN, seen.toString());
            if (lastPaymentMillis != Long.MIN_VALUE) {
                values.put(LAST_PAYMENT_MILLIS, lastPaymentMillis);
            }
            putLocated(values, lastLocated, LAST_LOCATED_MILLIS, LAST_LAT, LAST_LON);
            putLocated(values, previousLocated, PREVIOUS_LOCATED_MILLIS, PREVIOUS_LAT, PREVIOUS_LON);
            return new FeatureRow(cardToken, Instant.ofEpochMilli(epochMillis), values);
        }

        /** The card-device row of {@code deviceId} as of {@code epochMillis}, or null when the card never used it. */
        public FeatureRow cardDeviceRow(String cardToken, String deviceId, long epochMillis) {
            DeviceUse use = devices.get(deviceId);
            if (use == null) {
                return null;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(FIRST_SEEN_MILLIS, use.firstSeenMillis());
            values.put(LAST_SEEN_MILLIS, use.lastSeenMillis());
            values.put(PAYMENTS, use.payments());
            return new FeatureRow(cardDeviceKey(cardToken, deviceId), Instant.ofEpochMilli(epochMillis), values);
        }

        /** The card-device rows of the devices used exactly at {@code epochMillis}. */
        public List<FeatureRow> cardDeviceRowsAt(String cardToken, long epochMillis) {
            List<FeatureRow> rows = new ArrayList<>();
            devices.forEach((device, use) -> {
                if (use.lastSeenMillis() == epochMillis) {
                    rows.add(cardDeviceRow(cardToken, device, epochMillis));
                }
            });
            return rows;
        }

        private void forgetBefore(long epochMillis) {
            merchantsLastSeen.values().removeIf(last -> last <= epochMillis - MERCHANT_WINDOW_MILLIS);
            for (Iterator<DeviceUse> it = devices.values().iterator(); it.hasNext(); ) {
                if (it.next().lastSeenMillis() <= epochMillis - DEVICE_MEMORY_MILLIS) {
                    it.remove();
                }
            }
        }

        private static void putLocated(Map<String, Object> values, Payment payment, String millis, String lat, String lon) {
            if (payment != null) {
                values.put(millis, payment.epochMillis());
                values.put(lat, payment.lat());
                values.put(lon, payment.lon());
            }
        }
    }
}
