package dev.mlplatform.core.rollout;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A stable split of traffic by key (a card token, a user id): every key falls in one of
 * {@value #BUCKETS} buckets, the same one every time, in every process and after every restart.
 * A canary share, an experiment's arms, any gradual rollout is then a range of buckets.
 *
 * <p>The bucket comes from a 64-bit hash of the salt and the key: FNV-1a over their UTF-8 bytes
 * (with a zero byte between them, so that salt "ab" + key "c" differs from salt "a" + key "bc"),
 * finished with MurmurHash3's {@code fmix64} avalanche step. FNV-1a alone is stable but leaves
 * its low bits poorly mixed; after {@code fmix64} every input bit flips each output bit with
 * probability close to one half, so the buckets are uniform and two salts split the same keys
 * independently of each other. Different experiments and rollouts therefore take different salts.
 */
public final class TrafficSplit {

    /** Buckets per split: a share is honoured to 0.01 %. */
    public static final int BUCKETS = 10_000;

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final byte[] SEPARATOR = {0};

    private final String salt;
    /** The FNV state after the salt and its separator: each key continues from here. */
    private final long saltState;

    public TrafficSplit(String salt) {
        this.salt = Objects.requireNonNull(salt, "salt");
        this.saltState = fnv1a(fnv1a(FNV_OFFSET_BASIS, salt.getBytes(StandardCharsets.UTF_8)), SEPARATOR);
    }

    public String salt() {
        return salt;
    }

    /** The key's bucket in [0, {@value #BUCKETS}). */
    public int bucket(String key) {
        long hash = fmix64(fnv1a(saltState, key.getBytes(StandardCharsets.UTF_8)));
        return (int) Long.remainderUnsigned(hash, BUCKETS);
    }

    /**
     * Whether the key falls in the first {@code share} of the buckets. The same keys every time, and
     * growing the share only adds keys: a key in a 10 % canary stays in it at 20 %.
     *
     * @param share a fraction in [0, 1]
     */
    public boolean inShare(String key, double share) {
        return bucket(key) < bucketsFor(share);
    }

    /** How many buckets a share covers, rounded to the nearest bucket. */
    public static int bucketsFor(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("a share must lie in [0, 1], got " + share);
        }
        return (int) Math.round(share * BUCKETS);
    }

    private static long fnv1a(long state, byte[] bytes) {
        long hash = state;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** MurmurHash3's 64-bit finaliser (Austin Appleby, public domain). */
    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public String toString() {
        return "TrafficSplit[" + salt + "]";
    }
}
