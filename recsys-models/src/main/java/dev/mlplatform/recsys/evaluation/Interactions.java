package dev.mlplatform.recsys.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who interacted with what: users and items by dense index (0..n-1) with their original ids, and each
 * user's items, sorted and without repeats. Implicit feedback: a rating of any value is an interaction, as in
 * the published MovieLens top-k benchmarks.
 */
public final class Interactions {

    private final List<String> userIds;
    private final List<String> itemIds;
    private final int[][] itemsByUser;

    public Interactions(List<String> userIds, List<String> itemIds, int[][] itemsByUser) {
        this.userIds = List.copyOf(userIds);
        this.itemIds = List.copyOf(itemIds);
        if (itemsByUser.length != userIds.size()) {
            throw new IllegalArgumentException(itemsByUser.length + " item lists for " + userIds.size() + " users");
        }
        this.itemsByUser = itemsByUser;
    }

    /** The interactions of (user id, item id) pairs in any order; repeats count once. */
    public static Interactions of(List<String[]> pairs) {
        Map<String, Integer> users = new LinkedHashMap<>();
        Map<String, Integer> items = new LinkedHashMap<>();
        List<List<Integer>> byUser = new ArrayList<>();
        for (String[] pair : pairs) {
            int user = users.computeIfAbsent(Objects.requireNonNull(pair[0]), id -> {
                byUser.add(new ArrayList<>());
                return users.size();
            });
            int item = items.computeIfAbsent(Objects.requireNonNull(pair[1]), id -> items.size());
            byUser.get(user).add(item);
        }
        int[][] itemsByUser = new int[byUser.size()][];
        for (int u = 0; u < itemsByUser.length; u++) {
            itemsByUser[u] = byUser.get(u).stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        }
        return new Interactions(List.copyOf(users.keySet()), List.copyOf(items.keySet()), itemsByUser);
    }

    public int users() {
        return userIds.size();
    }

    public int items() {
        return itemIds.size();
    }

    public String userId(int user) {
        return userIds.get(user);
    }

    public String itemId(int item) {
        return itemIds.get(item);
    }

    /** The user's items, ascending. */
    public int[] itemsOf(int user) {
        return itemsByUser[user];
    }

    /** Item ids by index. */
    public List<String> itemIds() {
        return itemIds;
    }

    /** The same users and items with other item lists (a split of this data). */
    public Interactions withItems(int[][] itemsByUser) {
        return new Interactions(userIds, itemIds, itemsByUser);
    }

    public long size() {
        return Arrays.stream(itemsByUser).mapToLong(items -> items.length).sum();
    }
}
