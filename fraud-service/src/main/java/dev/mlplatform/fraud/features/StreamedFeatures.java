package dev.mlplatform.fraud.features;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.DistinctCards;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the feature store knows about a transaction's card, customer, device, merchant and category:
 * what the Flink feature job streams, this transaction included, and what the daily batch materialized as of
 * the day's start. This is what the scoring service reads from the online store ({@link #fromRows}) and
 * what training replays from a history ({@link StreamedFeatureReplay}), by the same arithmetic
 * ({@link WindowedVelocity}, {@link CardActivity}, {@link MerchantRisk}, {@link CustomerSpending}).
 *
 * @param card     the card's velocity over 1 min / 5 min / 1 h
 * @param customer the customer's velocity values over 1 min / 5 min / 1 h / 1 day, by feature name
 * @param device   the device's, or null for a transaction without a device (not online)
 * @param merchant the merchant's
 * @param activity device novelty and travel since the card's previous located payment
 * @param deviceCards the distinct cards of the device over 1 h and 1 day before this payment, or null without a device
 * @param merchantCards the merchant's
 * @param merchantRisk the merchant's payments and known fraud before the label delay
 * @param spending the amount against the customer's 7/30/90-day and the category's 30-day spending (batch)
 */
public record StreamedFeatures(VelocityFeatures card, Map<String, Object> customer, Map<String, Object> device,
                               Map<String, Object> merchant, CardActivity.Features activity,
                               List<Long> deviceCards, List<Long> merchantCards, MerchantRisk.Features merchantRisk, CustomerSpending.Features spending) {

    private static final WindowedVelocity ENTITY = FraudFeatures.entityVelocity();

    /** The rows to read for a batch: each transaction's card, customer, device, merchant and card-device pair. */
    public static Map<FeatureView, Set<String>> keysOf(Collection<TransactionEvent> transactions) {
        Map<FeatureView, Set<String>> keys = new LinkedHashMap<>();
        FraudFeatures.SERVED_VIEWS.forEach(view -> keys.put(view, new LinkedHashSet<>()));
        for (TransactionEvent tx : transactions) {
            keys.get(FraudFeatures.CARD_VELOCITY).add(tx.cardToken());
            keys.get(FraudFeatures.CARD_ACTIVITY).add(tx.cardToken());
            keys.get(FraudFeatures.CUSTOMER_VELOCITY).add(tx.customerId());
            keys.get(FraudFeatures.MERCHANT_VELOCITY).add(tx.merchantId());
            keys.get(FraudFeatures.MERCHANT_RISK).add(tx.merchantId());
            keys.get(FraudFeatures.MERCHANT_CARDS).add(tx.merchantId());
            keys.get(FraudFeatures.CUSTOMER_SPENDING).add(tx.customerId());
            if (tx.mcc() != null) {
                keys.get(FraudFeatures.MCC_SPENDING).add(tx.mcc());
            }
            if (tx.deviceId() != null) {
                keys.get(FraudFeatures.DEVICE_VELOCITY).add(tx.deviceId());
                keys.get(FraudFeatures.CARD_DEVICE_HISTORY).add(CardActivity.cardDeviceKey(tx.cardToken(), tx.deviceId()));
                keys.get(FraudFeatures.DEVICE_CARDS).add(tx.deviceId());
            }
        }
        return keys;
    }

    /** The features of a (tokenised) transaction from the rows the online store holds for it. */
    public static StreamedFeatures of(TransactionEvent tx, OnlineFeatures.Lookup lookup) {
        String card = tx.cardToken();
        String device = tx.deviceId();
        return fromRows(tx, lookup.row(FraudFeatures.CARD_VELOCITY, card),
                lookup.row(FraudFeatures.CUSTOMER_VELOCITY, tx.customerId()),
                lookup.row(FraudFeatures.DEVICE_VELOCITY, device),
                lookup.row(FraudFeatures.MERCHANT_VELOCITY, tx.merchantId()),
                lookup.row(FraudFeatures.CARD_ACTIVITY, card),
                device == null ? null : lookup.row(FraudFeatures.CARD_DEVICE_HISTORY, CardActivity.cardDeviceKey(card, device)),
                lookup.row(FraudFeatures.DEVICE_CARDS, device), lookup.row(FraudFeatures.MERCHANT_CARDS, tx.merchantId()),
                lookup.row(FraudFeatures.MERCHANT_RISK, tx.merchantId()),
                lookup.row(FraudFeatures.CUSTOMER_SPENDING, tx.customerId()), lookup.row(FraudFeatures.MCC_SPENDING, tx.mcc()));
    }

    /**
     * The features of {@code tx} from each view's latest row before it ({@code null} where the entity has
     * none): every row is advanced to the transaction's instant and the transaction added.
     */
    public static StreamedFeatures fromRows(TransactionEvent tx, FeatureRow cardVelocity, FeatureRow customerVelocity,
                                            FeatureRow deviceVelocity, FeatureRow merchantVelocity,
                                            FeatureRow cardActivity, FeatureRow cardDevice, FeatureRow deviceCards,
                                            FeatureRow merchantCards, FeatureRow merchantRisk,
                                            FeatureRow customerSpending, FeatureRow mccSpending) {
        Tally tally = Tally.of(tx.timestamp(), tx.amount());
        return new StreamedFeatures(
                VelocityFeatures.at(cardVelocity, tx.timestamp(), tx.amount()),
                ENTITY.including(customerVelocity, tally),
                tx.deviceId() == null ? null : ENTITY.including(deviceVelocity, tally),
                ENTITY.including(merchantVelocity, tally),
                CardActivity.features(cardActivity, cardDevice, CardActivity.Payment.of(tx)),
                tx.deviceId() == null ? null : DistinctCards.features(deviceCards), DistinctCards.features(merchantCards),
                MerchantRisk.features(merchantRisk, tally.epochMillis()),
                CustomerSpending.features(customerSpending, mccSpending, tx.amount().doubleValue()));
    }

    /** The transaction alone: what is known when the online store cannot be read. */
    public static StreamedFeatures ofTransactionOnly(TransactionEvent tx) {
        return fromRows(tx, null, null, null, null, null, null, null, null, null, null, null);
    }
}
