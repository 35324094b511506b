package dev.mlplatform.recsys.feedback;

import dev.mlplatform.recsys.serving.BanditArm;
import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bandit's counts per new item, in one Redis hash shared by every instance: {@code <item>|n} impressions and
 * {@code <item>|s} successes (an interaction with the item while its impression was open). Counts only grow;
 * an item leaves the bandit when it stops being new, not when its counts are deleted.
 */
public final class NewItemBandit {

    static final String KEY = "recs:bandit:new-items";

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;

    public NewItemBandit(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
        this.async = connection.async();
    }

    /** The counts of each item, zero for one never shown. */
    public List<BanditArm> arms(List<String> itemIds) {
        if (itemIds.isEmpty()) {
            return List.of();
        }
        String[] fields = new String[itemIds.size() * 2];
        for (int i = 0; i < itemIds.size(); i++) {
            fields[2 * i] = itemIds.get(i) + "|n";
            fields[2 * i + 1] = itemIds.get(i) + "|s";
        }
        List<KeyValue<String, String>> values = redis.hmget(KEY, fields);
        List<BanditArm> arms = new ArrayList<>(itemIds.size());
        for (int i = 0; i < itemIds.size(); i++) {
            arms.add(new BanditArm(itemIds.get(i), count(values.get(2 * i)), count(values.get(2 * i + 1))));
        }
        return arms;
    }

    /** Counts an impression of each item, without waiting (on the request's path). */
    public void shown(Collection<String> itemIds) {
        for (String itemId : itemIds) {
            async.hincrby(KEY, itemId + "|n", 1);
        }
    }

    public void succeeded(String itemId) {
        redis.hincrby(KEY, itemId + "|s", 1);
    }

    private static long count(KeyValue<String, String> value) {
        return value.hasValue() ? Long.parseLong(value.getValue()) : 0;
    }
}
