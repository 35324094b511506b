package dev.mlplatform.fraud.features;

import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.CustomerSpending;
import dev.mlplatform.featurestore.definitions.DistinctCards;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.MerchantRisk.MerchantState;
import dev.mlplatform.featurestore.definitions.WindowedVelocity;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link StreamedFeatures} of a transaction history replayed in event-time order, for training: the
 * same windows, card state and merchant state as the Flink job keeps, each transaction part of its own
 * windows, nothing later read, fraud labels read once the label delay has passed ({@link #label}), and the
 * batch rows as of each day's start. Cards are told apart by their token, or by their number in histories
 * that were never tokenised (the simulator's).
 */
public final class StreamedFeatureReplay {

    private final EntityWindows cards = new EntityWindows(FraudFeatures.cardVelocity());
    private final EntityWindows customers = new EntityWindows(FraudFeatures.entityVelocity());
    private final EntityWindows devices = new EntityWindows(FraudFeatures.entityVelocity());
    private final EntityWindows merchants = new EntityWindows(FraudFeatures.entityVelocity());
    private final Map<String, CardActivity.CardState> cardStates = new HashMap<>();
    private final Map<String, MerchantState> merchantStates = new HashMap<>();
    private final Map<String, DistinctCards.CardsState> deviceCards = new HashMap<>();
    private final Map<String, DistinctCards.CardsState> merchantCards = new HashMap<>();
    private final DailyRows customerSpending = new DailyRows(CustomerSpending::customerRow, CustomerSpending.CUSTOMER_HORIZON);
    private final DailyRows mccSpending = new DailyRows(CustomerSpending::mccRow, CustomerSpending.MCC_HORIZON);

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
        List<Long> cardsOfDevice = tx.deviceId() == null ? null : distinctCardsBefore(deviceCards, tx.deviceId(), card, t);
        List<Long> cardsOfMerchant = distinctCardsBefore(merchantCards, tx.merchantId(), card, t);
        // The batch rows as of the day's start: the payments before it, this one not yet.
        CustomerSpending.Payment spent = CustomerSpending.Payment.of(tx);
        Instant cutoff = CustomerSpending.cutoffOf(t);
        CustomerSpending.Features spending = CustomerSpending.features(customerSpending.rowAsOf(tx.customerId(), cutoff),
                tx.mcc() == null ? null : mccSpending.rowAsOf(tx.mcc(), cutoff), spent.amount());
        customerSpending.add(tx.customerId(), spent);
        if (tx.mcc() != null) {
            mccSpending.add(tx.mcc(), spent);
        }
        return new StreamedFeatures(
                VelocityFeatures.of(cards.valuesAt(card, tally)),
                customers.valuesAt(tx.customerId(), tally),
                tx.deviceId() == null ? null : devices.valuesAt(tx.deviceId(), tally),
                merchants.valuesAt(tx.merchantId(), tally),
                activity,
                cardsOfDevice,
                cardsOfMerchant,
                risk,
                spending);
    }

    /** The entity's distinct cards just before {@code t}, as its latest row then says; then adds the payment. */
    private static List<Long> distinctCardsBefore(Map<String, DistinctCards.CardsState> states, String entity,
                                                  String card, long t) {
        DistinctCards.CardsState state = states.computeIfAbsent(entity, key -> new DistinctCards.CardsState());
        state.forgetBefore(t - 1);
        List<Long> before = DistinctCards.features(state.rowAt(entity, t - 1));
        state.add(card, t);
        return before;
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

    /**
     * A batch view's rows per entity and day, each computed once from the entity's payments of the window
     * before the day's start, as the daily materialization does.
     */
    private static final class DailyRows {

        /** A batch view's arithmetic: the entity's row as of a cutoff from its payments, or null. */
        interface Arithmetic {
            FeatureRow rowAsOf(String entityId, Instant cutoff, Collection<CustomerSpending.Payment> payments);
        }

        private final Arithmetic arithmetic;
        private final long horizonMillis;
        private final Map<String, ArrayDeque<CustomerSpending.Payment>> payments = new HashMap<>();
        private final Map<String, FeatureRow> rowsOfDay = new HashMap<>();
        private Instant day;

        DailyRows(Arithmetic arithmetic, Duration horizon) {
            this.arithmetic = arithmetic;
            this.horizonMillis = horizon.toMillis();
        }

        FeatureRow rowAsOf(String entityId, Instant cutoff) {
            if (!cutoff.equals(day)) {
                rowsOfDay.clear();
                day = cutoff;
            }
            return rowsOfDay.computeIfAbsent(entityId, id -> {
                ArrayDeque<CustomerSpending.Payment> own = payments.get(id);
                return own == null ? null : arithmetic.rowAsOf(id, cutoff, own);
            });
        }

        void add(String entityId, CustomerSpending.Payment payment) {
            ArrayDeque<CustomerSpending.Payment> own = payments.computeIfAbsent(entityId, id -> new ArrayDeque<>());
            own.addLast(payment);
            // Kept while a later day's row may still count it: back to this day's start minus the horizon.
            long oldestCounted = CustomerSpending.cutoffOf(payment.epochMillis()).toEpochMilli() - horizonMillis;
            while (own.peekFirst().epochMillis() < oldestCounted) {
                own.removeFirst();
            }
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
