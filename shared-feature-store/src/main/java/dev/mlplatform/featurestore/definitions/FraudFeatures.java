package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.registry.Entity;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The fraud system's entities and feature views, declared once for the job, the service and training. */
public final class FraudFeatures {

    public static final Entity CARD = new Entity("card", "card_token", "A payment card, keyed by its HMAC token");
    public static final Entity CUSTOMER = new Entity("customer", "customer_id", "A cardholder");
    public static final Entity DEVICE = new Entity("device", "device_id", "The device an online payment came from");
    public static final Entity MERCHANT = new Entity("merchant", "merchant_id", "The merchant paid");
    public static final Entity CARD_DEVICE = new Entity("card_device", "card_token|device_id",
            "A card and a device it paid from, keyed by the card token and the device id joined by '|'");

    /** Velocity windows, shortest first. A window ending at t covers event times in (t - length, t]. */
    public static final List<Duration> VELOCITY_WINDOWS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1));

    private static final WindowedVelocity CARD_ARITHMETIC = new WindowedVelocity("tx", VELOCITY_WINDOWS);

    /** Per card: transaction count and amount sum over each velocity window, in event time. */
    public static final FeatureView CARD_VELOCITY = new FeatureView(
            "card_velocity", 1, CARD, CARD_ARITHMETIC.features("card"), Duration.ofHours(1),
            "fraud-team", "Count and amount sum of a card's transactions over 1 min, 5 min and 1 h (event time)");

    /** Windows of the customer, device and merchant velocity, shortest first. */
    public static final List<Duration> ENTITY_WINDOWS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1));
    private static final WindowedVelocity ENTITY_VELOCITY = new WindowedVelocity("tx", ENTITY_WINDOWS);

    /** Per customer, device and merchant: transaction count and amount sum over each of {@link #ENTITY_WINDOWS}. */
    public static final FeatureView CUSTOMER_VELOCITY = entityVelocity("customer_velocity", CUSTOMER, "customer");
    public static final FeatureView DEVICE_VELOCITY = entityVelocity("device_velocity", DEVICE, "device");
    public static final FeatureView MERCHANT_VELOCITY = entityVelocity("merchant_velocity", MERCHANT, "merchant");

    /** Per card: devices used in the last 30 days, merchants in the last day, the last two located payments. */
    public static final FeatureView CARD_ACTIVITY = new FeatureView(
            "card_activity", 2, CARD, CardActivity.cardFeatures(), CardActivity.DEVICE_WINDOW,
            "fraud-team", "Distinct devices of a card over 30 days, distinct merchants over a day, and where and when "
            + "it last paid (event time)");

    /** Per card and device: when the card first and last paid from the device (device novelty). */
    public static final FeatureView CARD_DEVICE_HISTORY = new FeatureView(
            "card_device_history", 1, CARD_DEVICE, CardActivity.cardDeviceFeatures(), CardActivity.DEVICE_MEMORY,
            "fraud-team", "First and last payment of a card from a device, and how many (event time)");

    /** Per merchant: payments and labelled frauds over 1, 7 and 30 days before the label delay (known risk). */
    public static final FeatureView MERCHANT_RISK = new FeatureView(
            "merchant_risk", 1, MERCHANT, MerchantRisk.features(), MerchantRisk.horizon(), "fraud-team",
            "Payments and labelled frauds at a merchant over 1, 7 and 30 days, shifted back by the label delay "
            + "(event time; labels from fraud.labels.v1)");

    /** Per device and per merchant: distinct cards over the last hour and day. */
    public static final FeatureView DEVICE_CARDS = new FeatureView("device_cards", 1, DEVICE,
            DistinctCards.declare("device"), DistinctCards.WINDOWS.get(DistinctCards.WINDOWS.size() - 1), "fraud-team",
            "Distinct cards that paid from a device over 1 h and 1 day (event time)");
    public static final FeatureView MERCHANT_CARDS = new FeatureView("merchant_cards", 1, MERCHANT,
            DistinctCards.declare("merchant"), DistinctCards.WINDOWS.get(DistinctCards.WINDOWS.size() - 1), "fraud-team",
            "Distinct cards that paid at a merchant over 1 h and 1 day (event time)");

    /** The views the fraud feature job writes and the service reads. */
    public static final List<FeatureView> STREAMED_VIEWS = List.of(CARD_VELOCITY, CUSTOMER_VELOCITY, DEVICE_VELOCITY,
            MERCHANT_VELOCITY, CARD_ACTIVITY, CARD_DEVICE_HISTORY, MERCHANT_RISK, DEVICE_CARDS, MERCHANT_CARDS);

    public static final Entity PAYMENT = new Entity("payment", "transaction_id", "One card payment");
    public static final Entity MCC = new Entity("mcc", "mcc", "A merchant category (ISO 18245 code)");

    /**
     * Every payment, in the offline store only: the source of the batch views. The job logs it; erasing a
     * customer deletes their payments by {@code customer_id}.
     */
    public static final FeatureView PAYMENT_LOG = new FeatureView("payment_log", 1, PAYMENT,
            CustomerSpending.paymentLogFeatures(), Duration.ofDays(400), "fraud-team",
            "Each payment's customer, merchant, category and amount at its event time (offline only: the batch source)");

    /** Per customer, as of each day's start: spending over 7, 30 and 90 days, and night and weekend habits (batch). */
    public static final FeatureView CUSTOMER_SPENDING = new FeatureView("customer_spending", 1, CUSTOMER,
            CustomerSpending.customerFeatures(), Duration.ofDays(2), "fraud-team",
            "Count, mean and spread of a customer's amounts over 7, 30 and 90 days and their night and weekend "
            + "shares, as of the start of the day (daily batch over payment_log)");

    /** Per merchant category, as of each day's start: amounts over 30 days (batch). */
    public static final FeatureView MCC_SPENDING = new FeatureView("mcc_spending", 1, MCC,
            CustomerSpending.mccFeatures(), Duration.ofDays(2), "fraud-team",
            "Count, mean and spread of a merchant category's amounts over 30 days, as of the start of the day "
            + "(daily batch over payment_log)");

    /** The views materialized once a day from the offline store and read by the service. */
    public static final List<FeatureView> BATCH_VIEWS = List.of(CUSTOMER_SPENDING, MCC_SPENDING);

    /** Every view the service reads online. */
    public static final List<FeatureView> SERVED_VIEWS =
            Stream.concat(STREAMED_VIEWS.stream(), BATCH_VIEWS.stream()).toList();

    private FraudFeatures() {
    }

    /** The arithmetic of {@link #CARD_VELOCITY}. */
    public static WindowedVelocity cardVelocity() {
        return CARD_ARITHMETIC;
    }

    /** The arithmetic of the customer, device and merchant velocity views: the same windows and names for all three. */
    public static WindowedVelocity entityVelocity() {
        return ENTITY_VELOCITY;
    }

    private static FeatureView entityVelocity(String name, Entity entity, String what) {
        return new FeatureView(name, 1, entity, ENTITY_VELOCITY.features(what), ENTITY_WINDOWS.get(ENTITY_WINDOWS.size() - 1),
                "fraud-team", "Count and amount sum of a " + what + "'s transactions over 1 min, 5 min, 1 h and 1 day "
                + "(event time)");
    }

    /** {@code tx_count_1m}, {@code tx_amount_1m}, ... for each window in {@link #VELOCITY_WINDOWS}. */
    public static String countFeature(Duration window) {
        return CARD_ARITHMETIC.countFeature(window);
    }

    public static String amountFeature(Duration window) {
        return CARD_ARITHMETIC.amountFeature(window);
    }

    /** {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}: a window's length in feature names. */
    static String suffix(Duration window) {
        if (window.toDays() >= 1 && window.toHoursPart() == 0 && window.toMinutesPart() == 0) {
            return window.toDays() + "d";
        }
        return window.toHours() >= 1 && window.toMinutesPart() == 0 ? window.toHours() + "h" : window.toMinutes() + "m";
    }
}
