package dev.mlplatform.recsys.evaluation;

import java.util.Arrays;
import java.util.Random;

/**
 * The published protocol's split: each user's interactions shuffled with a fixed seed, the first 75 % (rounded
 * up, so that every user keeps at least one) to train, the rest to test.
 *
 * @param train the interactions a model learns from
 * @param test  the interactions it must find, all relevant
 */
public record UserSplit(Interactions train, Interactions test) {

    public static UserSplit of(Interactions all, double trainShare, long seed) {
        if (!(trainShare > 0 && trainShare < 1)) {
            throw new IllegalArgumentException("the train share must lie strictly between 0 and 1, got " + trainShare);
        }
        Random random = new Random(seed);
        int[][] train = new int[all.users()][];
        int[][] test = new int[all.users()][];
        for (int u = 0; u < all.users(); u++) {
            int[] items = all.itemsOf(u).clone();
            for (int i = items.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = items[i];
                items[i] = items[j];
                items[j] = swap;
            }
            int cut = (int) Math.ceil(items.length * trainShare);
            train[u] = Arrays.stream(items, 0, cut).sorted().toArray();
            test[u] = Arrays.stream(items, cut, items.length).sorted().toArray();
        }
        return new UserSplit(all.withItems(train), all.withItems(test));
    }
}
