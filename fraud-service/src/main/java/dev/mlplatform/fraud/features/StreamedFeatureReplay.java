package dev.mlplatform.fraud.features;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.MerchantRisk.MerchantState;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link StreamedFeatures} of a transaction history replayed in event-time order, for training: the
 * same windows, card state and merchant state as the Flink job keeps, each transaction part of its own
 * windows, nothing later read, fraud labels read once the label delay has passed ({@link #label}). Cards are told apart by their token, or by their number in histories
 * that were never tokenised (the simulator's).
 */
public final class StreamedFeatureReplay {

    private final EntityWindows cards = new EntityWindows(FraudFeatures.cardVelocity());
    private final EntityWindows customers = new EntityWindows(FraudFeatures.entityVelocity());
    private final EntityWindows devices = new EntityWindows(FraudFeatures.entityVelocity());
    private final EntityWindows merchants = new EntityWindows(FraudFeatures.entityVelocity());
    private final Map<String, CardActivity.CardState> cardStates = new HashMap<>();
    private final Map<String, MerchantState> merchantStates = new HashMap<>();

    /** The features of {@code tx}, then adds it to the history. Transactions must come in event-time order. */
    public StreamedFeatures next(TransactionEvent tx) {
        Tally tally = Tally.of(tx.timestamp(), tx.amount());
        long t = tally.epochMillis();
        String card = tx.cardToken() != null ? tx.cardToken() : tx.cardNumber();
        CardActivity.Payment payment = CardActivity.Payment.of(tx);
        CardActivity.CardState state = cardStates.computeIfAbsent(card, key -> new CardActivity.CardState());
        CardActivity.Features activity = CardActivity.features(state.cardRow(card, t),
                payment.deviceId() == null ? null : state.cardDeviceRow(card, payment.deviceId(), t), payment);
        state.add(payment);
        // The merchant as the online store knows it just before the payment: a row the job emits at the
        // payment's own instant comes out after the payment was scored.
        MerchantState merchant = merchantStates.computeIfAbsent(tx.merchantId(), key -> new MerchantState());
        merchant.forgetBefore(t - 1);
        MerchantRisk.Features risk = MerchantRisk.features(merchant.rowAt(tx.merchantId(), t - 1), t);
        merchant.addPayment(t);
        return new StreamedFeatures(
                VelocityFeatures.of(cards.valuesAt(card, tally)),
                customers.valuesAt(tx.customerId(), tally),
                tx.deviceId() == null ? null : devices.valuesAt(tx.deviceId(), tally),
                merchants.valuesAt(tx.merchantId(), tally),
                activity,
                risk);
    }

    /**
     * Adds a fraud label: it counts in the features of later payments at its merchant once its payment is
     * the label delay old (or from its report, when that is later), as in the job.
     */
    public void label(FraudLabel label) {
        long transactionTime = label.transactionTime().toEpochMilli();
        long visibleAt = MerchantRisk.visibleAt(transactionTime, label.reportedAt().toEpochMilli());
        if (visibleAt < MerchantState.forgottenAt(transactionTime)) {
            merchantStates.computeIfAbsent(label.merchantId(), key -> new MerchantState())
                    .addFraud(label.transactionId(), transactionTime, visibleAt);
        }
    }

    /** Each entity's tallies within the longest window, oldest first. */
    private static final class EntityWindows {

        private final WindowedVelocity arithmetic;
        private final long horizonMillis;
        private final Map<String, List<Tally>> tallies = new HashMap<>();

        EntityWindows(WindowedVelocity arithmetic) {
            this.arithmetic = arithmetic;
            this.horizonMillis = arithmetic.horizon().toMillis();
        }

        /** Adds the tally; the entity's values at its instant, from the tallies that still count. */
        Map<String, Object> valuesAt(String entity, Tally tally) {
            List<Tally> history = tallies.computeIfAbsent(entity, key -> new ArrayList<>());
            history.add(tally);
            int expired = 0;
            while (history.get(expired).epochMillis() <= tally.epochMillis() - horizonMillis) {
                expired++;
            }
            history.subList(0, expired).clear();
            return arithmetic.valuesAt(tally.epochMillis(), history);
        }
    }
}
