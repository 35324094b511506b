package dev.mlplatform.featurestore.definitions;

import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of {@link FraudFeatures#CARD_VELOCITY}: {@link WindowedVelocity} over the card's
 * 1 min, 5 min and 1 h windows, for the streaming job, the offline replay and the scoring service.
 */
public final class CardVelocity {

    static final WindowedVelocity ARITHMETIC = FraudFeatures.CARD_ARITHMETIC;

    /** After this long without a transaction every window of a card is empty. */
    public static final Duration HORIZON = ARITHMETIC.horizon();

    private CardVelocity() {
    }

    public static long[] changeTimes(long epochMillis) {
        return ARITHMETIC.changeTimes(epochMillis);
    }

    public static boolean stillCounts(Tally tally, long epochMillis) {
        return ARITHMETIC.stillCounts(tally, epochMillis);
    }

    public static Map<String, Object> valuesAt(long epochMillis, Iterable<Tally> tallies) {
        return ARITHMETIC.valuesAt(epochMillis, tallies);
    }

    public static FeatureRow rowAt(String cardToken, long epochMillis, Iterable<Tally> tallies) {
        return ARITHMETIC.rowAt(cardToken, epochMillis, tallies);
    }

    public static List<FeatureRow> replay(String cardToken, Collection<Tally> tallies) {
        return ARITHMETIC.replay(cardToken, tallies);
    }

    public static Map<String, Object> including(FeatureRow row, Tally tally) {
        return ARITHMETIC.including(row, tally);
    }
}
