package dev.mlplatform.fraud.decision;

import dev.mlplatform.featurestore.ErasureReport;
import dev.mlplatform.featurestore.FeatureStore;
import dev.mlplatform.featurestore.definitions.CardActivity;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a customer from everything this service keeps (GDPR): the online and offline feature rows of the
 * customer, of each of their cards, of the devices those cards paid from and of each card-device pair, their
 * payments in the offline payment log, then every decision of the customer or on those cards. The cards are found through the decisions,
 * so the features go first: when the feature store fails part-way the decisions are still there and the same
 * erasure can simply be asked for again. Events already on Kafka carry card tokens, never card numbers, and leave
 * with the topics' retention.
 */
public final class CustomerErasure {

    private static final Logger log = LoggerFactory.getLogger(CustomerErasure.class);

    /**
     * What went.
     *
     * @param cards              the customer's cards found in the decisions
     * @param decisionsDeleted   decision rows deleted
     * @param onlineRowsRemoved  online feature rows (one per entity and view) deleted
     * @param offlineRowsRemoved feature log rows deleted
     */
    public record Report(String customerId, int cards, int decisionsDeleted, int onlineRowsRemoved,
                         long offlineRowsRemoved) {
    }

    /** The feature store could not erase; the decisions were left in place so that the erasure can be repeated. */
    public static final class FeatureErasureException extends RuntimeException {
        FeatureErasureException(Throwable cause) {
            super("the feature store could not erase the customer's cards (" + cause.getMessage()
                    + "); their decisions were kept, ask again to finish the erasure", cause);
        }
    }

    private final DecisionStore decisions;
    private final Supplier<FeatureStore> featureStores;

    /** @param featureStores opens a feature store for one erasure; it is closed afterwards */
    public CustomerErasure(DecisionStore decisions, Supplier<FeatureStore> featureStores) {
        this.decisions = decisions;
        this.featureStores = featureStores;
    }

    public Report erase(String customerId) {
        Map<String, Set<String>> devicesByCard = decisions.devicesByCardOf(customerId);
        List<String> cards = List.copyOf(devicesByCard.keySet());
        int online = 0;
        long offline = 0;
        try (FeatureStore features = featureStores.get()) {
            List<ErasureReport> erased = new ArrayList<>();
            erased.add(features.erase(FraudFeatures.CUSTOMER, customerId));
            devicesByCard.forEach((card, devices) -> {
                erased.add(features.erase(FraudFeatures.CARD, card));
                for (String device : devices) {
                    erased.add(features.erase(FraudFeatures.DEVICE, device));
                    erased.add(features.erase(FraudFeatures.CARD_DEVICE, CardActivity.cardDeviceKey(card, device)));
                }
            });
            for (ErasureReport report : erased) {
                online += report.onlineViewsRemoved().size();
                offline += report.offlineRowsRemoved().values().stream().mapToLong(Long::longValue).sum();
            }
            offline += features.offline().deleteMatching(FraudFeatures.PAYMENT_LOG, "customer_id", customerId);
        } catch (RuntimeException e) {
            throw new FeatureErasureException(e);
        }
        int deleted = decisions.deleteCustomer(customerId, cards);
        // The customer id itself stays out of the log: the log outlives the erasure.
        log.info("erased a customer: {} cards, {} decisions, {} online and {} offline feature rows", cards.size(),
                deleted, online, offline);
        return new Report(customerId, cards.size(), deleted, online, offline);
    }
}
