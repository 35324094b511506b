package dev.mlplatform.simulators.recsys;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A catalogue and the people who watch it, shaped like MovieLens: items with one to three of MovieLens' 19 genres
 * and a long-tailed popularity (Zipf), users with two or three favourite genres and a long-tailed activity (at least
 * {@link Config#minPerUser()} items each). A user picks item {@code i} with weight
 * {@code popularity(i) · (1 + tasteWeight · favourite genres of i)}, drawn exactly as a mixture — overall
 * popularity, or popularity within one favourite genre — in O(log items) per draw, so that a million users of a
 * 100,000-item catalogue take seconds, not days. The same seed gives the same data.
 *
 * <p>Written in MovieLens' own formats ({@code u.data}, {@code u.item}) so that everything that reads MovieLens reads
 * it, or streamed as {@link Interaction}s to load the platform.
 */
public final class InteractionSimulator {

    /** MovieLens 100K's genres, in its order, as the platform's genre ids. */
    public static final List<String> GENRE_NAMES = List.of("unknown", "action", "adventure", "animation", "childrens",
            "comedy", "crime", "documentary", "drama", "fantasy", "film-noir", "horror", "musical", "mystery",
            "romance", "sci-fi", "thriller", "war", "western");
    static final int GENRES = GENRE_NAMES.size();
    /** The Zipf exponent of item popularity: below 1, so that taste, not popularity alone, decides. */
    static final double POPULARITY_EXPONENT = 0.8;
    /** First timestamp of the generated ratings (MovieLens 100K's first, 1997), and their spread in seconds. */
    public static final long FIRST_TIMESTAMP = 874_724_710L;
    public static final int TIMESTAMP_SPREAD = 20_000_000;
    /** The regions users are in, one per user in turn (ISO 3166 alpha-2): trending is kept per region. */
    public static final List<String> REGIONS = List.of("FR", "DE", "GB", "US", "JP");

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

    /** A catalogue item: index 0..items-1, its genre ids, and its popularity rank (0 is the most popular). */
    public record Item(int index, List<String> genres, int popularityRank) {

        /** The item id the platform knows it by: its MovieLens number. */
        public String id() {
            return Integer.toString(index + 1);
        }

        public String title() {
            return "Item " + (index + 1);
        }
    }

    /** One rating: user and item by index, 1 to 5 stars, seconds since the epoch (in 1997-98). */
    public record Interaction(int user, int item, int rating, long epochSecond) {

        public String userId() {
            return Integer.toString(user + 1);
        }

        public String itemId() {
            return Integer.toString(item + 1);
        }

        /** The user's region. */
        public String region() {
            return regionOf(user);
        }
    }

    /**
     * A user as the draws see them: their favourite genres (one to three genre ids), which {@link #weight} counts,
     * and their interactions in the order drawn.
     */
    public record User(int index, List<String> favouriteGenres, List<Interaction> interactions) {

        public String id() {
            return Integer.toString(index + 1);
        }

        public String region() {
            return regionOf(index);
        }
    }

    private final Config config;
    private final List<Item> items;
    /** Each item's Zipf popularity by its rank: the weight of an item of no favourite genre. */
    private final double[] popularity;
    /** Cumulative popularity over all items, and per genre over its items (with those items' indexes). */
    private final double[] overallCdf;
    private final double[][] genreCdf;
    private final int[][] genreItems;

    public InteractionSimulator(Config config) {
        this.config = config;
        Random random = new Random(config.seed());
        int[] rankOf = shuffledRanks(random, config.items());
        List<Item> generated = new ArrayList<>(config.items());
        List<List<Integer>> byGenre = new ArrayList<>();
        for (int g = 0; g < GENRES; g++) {
            byGenre.add(new ArrayList<>());
        }
        for (int item = 0; item < config.items(); item++) {
            boolean[] flags = randomGenres(random, 1 + random.nextInt(3));
            List<String> names = new ArrayList<>(3);
            for (int g = 0; g < GENRES; g++) {
                if (flags[g]) {
                    names.add(GENRE_NAMES.get(g));
                    byGenre.get(g).add(item);
                }
            }
            generated.add(new Item(item, List.copyOf(names), rankOf[item]));
        }
        this.items = List.copyOf(generated);
        this.popularity = items.stream().mapToDouble(item -> Math.pow(item.popularityRank() + 1, -POPULARITY_EXPONENT))
                .toArray();
        this.overallCdf = cumulative(popularity, IntStream.range(0, items.size()).toArray());
        this.genreItems = new int[GENRES][];
        this.genreCdf = new double[GENRES][];
        for (int g = 0; g < GENRES; g++) {
            genreItems[g] = byGenre.get(g).stream().mapToInt(Integer::intValue).toArray();
            genreCdf[g] = cumulative(popularity, genreItems[g]);
        }
    }

    public Config config() {
        return config;
    }

    public List<Item> items() {
        return items;
    }

    /** Every interaction, user by user (each user's items distinct), the same for the same seed. */
    public void forEachInteraction(Consumer<Interaction> sink) {
        forEachUser(user -> user.interactions().forEach(sink));
    }

    /** Every user with their taste and interactions, in order: the same interactions as {@link #forEachInteraction}. */
    public void forEachUser(Consumer<User> sink) {
        Random random = new Random(config.seed() * 31 + 17);
        for (int user = 0; user < config.users(); user++) {
            int[] taste = favouriteGenres(random);
            double[] componentWeights = new double[taste.length + 1];
            componentWeights[0] = overallCdf[overallCdf.length - 1];
            for (int i = 0; i < taste.length; i++) {
                double[] cdf = genreCdf[taste[i]];
                double genreTotal = cdf.length == 0 ? 0 : cdf[cdf.length - 1];
                componentWeights[i + 1] = componentWeights[i] + config.tasteWeight() * genreTotal;
            }
            int count = Math.min(config.items() - 1, activity(random));
            Set<Integer> chosen = new HashSet<>(count * 2);
            List<Interaction> interactions = new ArrayList<>(count);
            while (chosen.size() < count) {
                int item = draw(random, taste, componentWeights);
                if (chosen.add(item)) {
                    interactions.add(new Interaction(user, item, 1 + random.nextInt(5),
                            FIRST_TIMESTAMP + random.nextInt(TIMESTAMP_SPREAD)));
                }
            }
            sink.accept(new User(user, Arrays.stream(taste).mapToObj(GENRE_NAMES::get).toList(),
                    Collections.unmodifiableList(interactions)));
        }
    }

    /** An item's popularity: its weight for a user who has none of its genres among their favourites. */
    public double popularity(int item) {
        return popularity[item];
    }

    /**
     * How likely {@code user} is to pick {@code item} on a draw, up to a factor common to all items: its popularity
     * times {@code 1 + tasteWeight} per favourite genre of the user that it has. Every draw follows these weights
     * (the mixture of {@link #draw} is this sum), over the items the user does not have yet.
     */
    public double weight(User user, int item) {
        List<String> genres = items.get(item).genres();
        int shared = 0;
        for (String favourite : user.favouriteGenres()) {
            if (genres.contains(favourite)) {
                shared++;
            }
        }
        return popularity[item] * (1 + config.tasteWeight() * shared);
    }

    /** Writes {@code u.data} (user, item, rating, timestamp; tab-separated) and {@code u.item} into {@code dir}. */
    public void writeMovieLensFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("u.item"), StandardCharsets.ISO_8859_1)) {
            for (Item item : items) {
                StringBuilder line = new StringBuilder().append(item.id()).append('|').append(item.title())
                        .append("|01-Jan-1995||");
                for (String genre : GENRE_NAMES) {
                    line.append('|').append(item.genres().contains(genre) ? 1 : 0);
                }
                out.write(line.toString());
                out.newLine();
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("u.data"), StandardCharsets.UTF_8)) {
            IOException[] failed = {null};
            forEachInteraction(interaction -> {
                if (failed[0] != null) {
                    return;
                }
                try {
                    out.write(interaction.userId() + "\t" + interaction.itemId() + "\t" + interaction.rating() + "\t"
                            + interaction.epochSecond());
                    out.newLine();
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }
    }

    /** One item of the mixture: the component by its total weight, then an item by popularity within it. */
    private int draw(Random random, int[] taste, double[] componentWeights) {
        double target = random.nextDouble() * componentWeights[componentWeights.length - 1];
        int component = 0;
        while (component < componentWeights.length - 1 && target >= componentWeights[component]) {
            component++;
        }
        if (component == 0) {
            return sample(random, overallCdf, null);
        }
        int genre = taste[component - 1];
        return sample(random, genreCdf[genre], genreItems[genre]);
    }

    /** An index by the cumulative weights; mapped through {@code indexes} when given. */
    private static int sample(Random random, double[] cdf, int[] indexes) {
        double target = random.nextDouble() * cdf[cdf.length - 1];
        int found = Arrays.binarySearch(cdf, target);
        int position = Math.min(found >= 0 ? found + 1 : -found - 1, cdf.length - 1);
        return indexes == null ? position : indexes[position];
    }

    private static double[] cumulative(double[] popularity, int[] itemIndexes) {
        double[] cdf = new double[itemIndexes.length];
        double total = 0;
        for (int i = 0; i < itemIndexes.length; i++) {
            total += popularity[itemIndexes[i]];
            cdf[i] = total;
        }
        return cdf;
    }

    private static String regionOf(int user) {
        return REGIONS.get(user % REGIONS.size());
    }

    /** A long-tailed number of items: the minimum plus an exponential with the rest of the mean. */
    private int activity(Random random) {
        double extra = config.meanPerUser() - config.minPerUser();
        return config.minPerUser() + (int) Math.round(-Math.log(1 - random.nextDouble()) * extra);
    }

    private static int[] favouriteGenres(Random random) {
        boolean[] flags = randomGenres(random, 2 + random.nextInt(2));
        return IntStream.range(0, GENRES).filter(g -> flags[g]).toArray();
    }

    private static boolean[] randomGenres(Random random, int count) {
        boolean[] genres = new boolean[GENRES];
        for (int n = 0; n < count; n++) {
            genres[random.nextInt(GENRES)] = true;
        }
        return genres;
    }

    /** A popularity rank per item, in random order, so that the item number says nothing. */
    private static int[] shuffledRanks(Random random, int count) {
        int[] ranks = new int[count];
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
