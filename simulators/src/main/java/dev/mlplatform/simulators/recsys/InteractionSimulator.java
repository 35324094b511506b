package dev.mlplatform.simulators.recsys;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * A catalogue and the people who watch it, shaped like MovieLens: items with one to three of 19 genres and a
 * long-tailed popularity (Zipf), users with two or three favourite genres and a long-tailed activity (at least
 * {@link Config#minPerUser()} items each), and each user's items drawn by popularity times taste. Written in
 * MovieLens' own formats ({@code u.data}, {@code u.item}) so that everything that reads MovieLens reads it.
 */
public final class InteractionSimulator {

    static final int GENRES = 19;
    /** The Zipf exponent of item popularity: below 1, so that taste, not popularity alone, decides. */
    static final double POPULARITY_EXPONENT = 0.8;

    /**
     * @param users       people
     * @param items       catalogue size
     * @param meanPerUser mean items per user (MovieLens 100K: about 106)
     * @param minPerUser  fewest items per user (MovieLens keeps users with 20 or more)
     * @param tasteWeight how much more likely an item of a favourite genre is, per genre shared
     * @param seed        the same seed gives the same data
     */
    public record Config(int users, int items, int meanPerUser, int minPerUser, double tasteWeight, long seed) {

        public Config {
            if (users < 1 || items < 2 || minPerUser < 1 || meanPerUser < minPerUser || minPerUser >= items) {
                throw new IllegalArgumentException("need users >= 1, items >= 2 and 1 <= minPerUser <= meanPerUser, "
                        + "minPerUser < items; got " + users + ", " + items + ", " + minPerUser + ", " + meanPerUser);
            }
        }

        /** The size of MovieLens 100K: 943 users, 1,682 items, about 100,000 interactions. */
        public static Config movieLens100kSized(long seed) {
            return new Config(943, 1682, 106, 20, 30.0, seed);
        }
    }

    private final Config config;

    public InteractionSimulator(Config config) {
        this.config = config;
    }

    /** Writes {@code u.data} (user, item, rating, timestamp; tab-separated) and {@code u.item} into {@code dir}. */
    public void writeMovieLensFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(config.seed());
        boolean[][] genres = new boolean[config.items()][];
        double[] popularity = new double[config.items()];
        int[] rankOf = shuffledRanks(random);
        try (BufferedWriter items = Files.newBufferedWriter(dir.resolve("u.item"), StandardCharsets.ISO_8859_1)) {
            for (int item = 0; item < config.items(); item++) {
                genres[item] = randomGenres(random, 1 + random.nextInt(3));
                popularity[item] = Math.pow(rankOf[item] + 1, -POPULARITY_EXPONENT);
                StringBuilder line = new StringBuilder().append(item + 1).append("|Item ").append(item + 1)
                        .append("|01-Jan-1995||");
                for (boolean genre : genres[item]) {
                    line.append('|').append(genre ? 1 : 0);
                }
                items.write(line.toString());
                items.newLine();
            }
        }
        long start = 874_724_710L;
        try (BufferedWriter data = Files.newBufferedWriter(dir.resolve("u.data"), StandardCharsets.UTF_8)) {
            double[] weights = new double[config.items()];
            for (int user = 0; user < config.users(); user++) {
                boolean[] taste = randomGenres(random, 2 + random.nextInt(2));
                double total = 0;
                for (int item = 0; item < config.items(); item++) {
                    int shared = 0;
                    for (int g = 0; g < GENRES; g++) {
                        shared += taste[g] && genres[item][g] ? 1 : 0;
                    }
                    weights[item] = popularity[item] * (1 + config.tasteWeight() * shared);
                    total += weights[item];
                }
                int count = Math.min(config.items() - 1, activity(random));
                boolean[] chosen = new boolean[config.items()];
                for (int n = 0; n < count; n++) {
                    int item = draw(random, weights, total, chosen);
                    chosen[item] = true;
                    total -= weights[item];
                    data.write((user + 1) + "\t" + (item + 1) + "\t" + (1 + random.nextInt(5)) + "\t"
                            + (start + random.nextInt(20_000_000)));
                    data.newLine();
                }
            }
        }
    }

    /** A long-tailed number of items: the minimum plus an exponential with the rest of the mean. */
    private int activity(Random random) {
        double extra = config.meanPerUser() - config.minPerUser();
        return config.minPerUser() + (int) Math.round(-Math.log(1 - random.nextDouble()) * extra);
    }

    private static int draw(Random random, double[] weights, double total, boolean[] chosen) {
        double target = random.nextDouble() * total;
        int last = -1;
        for (int item = 0; item < weights.length; item++) {
            if (chosen[item]) {
                continue;
            }
            last = item;
            target -= weights[item];
            if (target <= 0) {
                return item;
            }
        }
        return last;
    }

    private static boolean[] randomGenres(Random random, int count) {
        boolean[] genres = new boolean[GENRES];
        for (int n = 0; n < count; n++) {
            genres[random.nextInt(GENRES)] = true;
        }
        return genres;
    }

    /** A popularity rank per item, in random order, so that the item number says nothing. */
    private int[] shuffledRanks(Random random) {
        int[] ranks = new int[config.items()];
        Arrays.setAll(ranks, i -> i);
        for (int i = ranks.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = ranks[i];
            ranks[i] = ranks[j];
            ranks[j] = swap;
        }
        return ranks;
    }
}
