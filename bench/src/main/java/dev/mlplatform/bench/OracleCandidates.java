package dev.mlplatform.bench;

import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The generator's oracle candidates: a user's items by the weight the generator itself draws with
 * ({@link InteractionSimulator#weight}: popularity times a boost for each favourite genre), best first, the user's
 * history excluded. They stand in for the nightly Spark job's candidates, which for a million users is a cluster job;
 * the serving path reads a list of the same form whichever model made it.
 *
 * <p>Found without weighing the whole catalogue for every user: the items of the user's favourite genres are walked
 * most popular first, down to where even the most boosted weight of their popularity cannot beat the weakest item
 * kept; then the other items, which weigh their popularity, likewise.
 */
final class OracleCandidates {

    /** An item by index and its weight for the user. */
    record Candidate(int item, double weight) {
    }

    private static final int[] NONE = new int[0];

    private final InteractionSimulator simulator;
    private final int[] byPopularity;
    /** Each item's place in {@link #byPopularity}. */
    private final int[] popularityPlace;
    private final Map<String, int[]> byPopularityInGenre = new HashMap<>();

    OracleCandidates(InteractionSimulator simulator) {
        this.simulator = simulator;
        this.byPopularity = IntStream.range(0, simulator.items().size()).boxed()
                .sorted(Comparator.comparingDouble(simulator::popularity).reversed().thenComparing(item -> item))
                .mapToInt(Integer::intValue).toArray();
        this.popularityPlace = new int[byPopularity.length];
        for (int place = 0; place < byPopularity.length; place++) {
            popularityPlace[byPopularity[place]] = place;
        }
        Map<String, List<Integer>> inGenre = new HashMap<>();
        for (int item : byPopularity) {
            for (String genre : simulator.items().get(item).genres()) {
                inGenre.computeIfAbsent(genre, g -> new ArrayList<>()).add(item);
            }
        }
        inGenre.forEach((genre, items) -> byPopularityInGenre.put(genre,
                items.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The user's {@code count} best items not in their history, best first (fewer when the catalogue runs out). */
    List<Candidate> of(InteractionSimulator.User user, int count) {
        int[] history = user.interactions().stream().mapToInt(InteractionSimulator.Interaction::item).sorted().toArray();
        Best best = new Best(count);
        // The boosted items first: they set a high bar early, which ends the other walk sooner.
        walkFavouriteGenres(user, history, best);
        for (int item : byPopularity) {
            if (best.full() && simulator.popularity(item) < best.weakest()) {
                break;
            }
            if (firstFavourite(item, user.favouriteGenres()) < 0 && Arrays.binarySearch(history, item) < 0) {
                best.offer(item, simulator.weight(user, item));
            }
        }
        return best.bestFirst();
    }

    /**
     * Offers the items of the user's favourite genres, merging the genres' lists most popular first (an item of
     * several is offered from its first one's), until even the most boosted weight cannot beat the weakest kept.
     */
    private void walkFavouriteGenres(InteractionSimulator.User user, int[] history, Best best) {
        List<String> favourites = user.favouriteGenres();
        double mostBoosted = 1 + simulator.config().tasteWeight() * favourites.size();
        int[][] lists = new int[favourites.size()][];
        int[] next = new int[favourites.size()];
        for (int f = 0; f < lists.length; f++) {
            lists[f] = byPopularityInGenre.getOrDefault(favourites.get(f), NONE);
        }
        while (true) {
            int from = -1;
            for (int f = 0; f < lists.length; f++) {
                if (next[f] < lists[f].length && (from < 0
                        || popularityPlace[lists[f][next[f]]] < popularityPlace[lists[from][next[from]]])) {
                    from = f;
                }
            }
            if (from < 0) {
                return;
            }
            int item = lists[from][next[from]++];
            if (best.full() && simulator.popularity(item) * mostBoosted < best.weakest()) {
                return;
            }
            if (firstFavourite(item, favourites) == from && Arrays.binarySearch(history, item) < 0) {
                best.offer(item, simulator.weight(user, item));
            }
        }
    }

    private int firstFavourite(int item, List<String> favourites) {
        List<String> genres = simulator.items().get(item).genres();
        for (int f = 0; f < favourites.size(); f++) {
            if (genres.contains(favourites.get(f))) {
                return f;
            }
        }
        return -1;
    }

    /**
     * The best {@code capacity} offers so far: a min-heap on primitive arrays with the weakest at the root (by weight,
     * then the higher item index), so that a million users' thousands of offers allocate nothing.
     */
    private static final class Best {
        private final double[] weights;
        private final int[] items;
        private int size;

        /** @param capacity at least 1 */
        Best(int capacity) {
            weights = new double[capacity];
            items = new int[capacity];
        }

        boolean full() {
            return size == items.length;
        }

        double weakest() {
            return weights[0];
        }

        void offer(int item, double weight) {
            if (!full()) {
                weights[size] = weight;
                items[size] = item;
                siftUp(size++);
            } else if (weaker(0, weight, item)) {
                weights[0] = weight;
                items[0] = item;
                siftDown(0);
            }
        }

        List<Candidate> bestFirst() {
            List<Candidate> all = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                all.add(new Candidate(items[i], weights[i]));
            }
            all.sort(Comparator.comparingDouble(Candidate::weight).reversed().thenComparingInt(Candidate::item));
            return all;
        }

        /** Whether the entry at {@code i} ranks below (weight, item). */
        private boolean weaker(int i, double weight, int item) {
            return weights[i] < weight || (weights[i] == weight && items[i] > item);
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (!weaker(i, weights[parent], items[parent])) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int weakest = i;
                for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
                    if (weaker(child, weights[weakest], items[weakest])) {
                        weakest = child;
                    }
                }
                if (weakest == i) {
                    return;
                }
                swap(i, weakest);
                i = weakest;
            }
        }

        private void swap(int a, int b) {
            double w = weights[a];
            weights[a] = weights[b];
            weights[b] = w;
            int item = items[a];
            items[a] = items[b];
            items[b] = item;
        }
    }
}
