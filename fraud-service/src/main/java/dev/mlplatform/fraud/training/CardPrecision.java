package dev.mlplatform.fraud.training;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The handbook's Card Precision top-k ({@code card_precision_top_k}): what a team of investigators who
 * can check {@code k} cards a day gets out of the model.
 *
 * <p>Each day, in date order: a card's risk is the highest score of its transactions that day, and
 * it is compromised when any of them is a fraud; of the {@code k} riskiest cards, the share that are
 * compromised is the day's precision (always over {@code k}, even when fewer cards are left). Cards
 * found compromised that way are blocked, so they are left out of the following days. The result is
 * the mean over the days. Equal risks are ordered by card id, so that the result is reproducible
 * (pandas' sort leaves their order unspecified).
 */
public final class CardPrecision {

    private CardPrecision() {
    }

    /** The handbook's CP@k of {@code scores} (one per row of {@code examples}); NaN without rows. */
    public static double atK(Examples examples, float[] scores, int k) {
        return atK(examples.customers(), examples.days(), examples.labels(), scores, k);
    }

    /**
     * The handbook's CP@k of {@code scores}; row {@code i} is a payment of card {@code cards[i]} on
     * {@code days[i]}, labelled {@code labels[i]} (1 for a fraud). NaN without rows.
     */
    public static double atK(String[] cards, LocalDate[] days, float[] labels, float[] scores, int k) {
        if (scores.length != cards.length || days.length != cards.length || labels.length != cards.length) {
            throw new IllegalArgumentException(scores.length + " scores, " + labels.length + " labels and "
                    + days.length + " days for " + cards.length + " rows");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        Map<LocalDate, Map<String, Card>> cardsByDay = new TreeMap<>();
        for (int i = 0; i < cards.length; i++) {
            boolean fraud = labels[i] == 1f;
            float score = scores[i];
            cardsByDay.computeIfAbsent(days[i], day -> new HashMap<>())
                    .merge(cards[i], new Card(cards[i], score, fraud),
                            (a, b) -> new Card(a.id(), Math.max(a.risk(), b.risk()), a.compromised() || b.compromised()));
        }
        Set<String> detected = new HashSet<>();
        double sum = 0;
        for (Map<String, Card> day : cardsByDay.values()) {
            List<Card> candidates = new ArrayList<>(day.values());
            candidates.removeIf(card -> detected.contains(card.id()));
            candidates.sort((a, b) -> a.risk() != b.risk() ? Float.compare(b.risk(), a.risk()) : a.id().compareTo(b.id()));
            int found = 0;
            for (Card card : candidates.subList(0, Math.min(k, candidates.size()))) {
                if (card.compromised()) {
                    found++;
                    detected.add(card.id());
                }
            }
            sum += found / (double) k;
        }
        return cardsByDay.isEmpty() ? Double.NaN : sum / cardsByDay.size();
    }

    private record Card(String id, float risk, boolean compromised) {
    }
}
