package dev.mlplatform.fraud.scoring;

import java.util.List;

/**
 * Chooses the model version that decides each transaction (production, a canary for its share of
 * cards, or the model of the card's experiment arm) and lets a shadow model score beside it.
 */
public interface ModelRouter {

    /**
     * Scores {@code rows}; row {@code i} belongs to the card {@code cardTokens.get(i)}, which picks its
     * canary share or experiment arm the same way every time.
     *
     * @return one score per row, in row order
     * @throws ModelUnavailableException when no production model is loaded
     */
    List<RoutedScore> score(List<String> cardTokens, float[][] rows);
}
