package dev.mlplatform.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.mlplatform.recsys.evaluation.Interactions;
import dev.mlplatform.recsys.evaluation.RankingMetrics;
import dev.mlplatform.recsys.evaluation.UserSplit;
import dev.mlplatform.recsys.retrieval.ExactItemSearch;
import dev.mlplatform.recsys.retrieval.ScoredItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two-tower model on small generated data whose structure is known. */
class TwoTowerTest {

    private static final int USERS = 200;
    /** Users from this one on are new: they have no training interactions. */
    private static final int FIRST_NEW_USER = 180;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static UserSplit split;
    private static TwoTower model;

    /**
     * Two tastes, as in {@link EaseTest}: the first half of the users like items 0..19, the others 20..39, and
     * everyone takes a few of 40 items popular with all.
     */
    private static Interactions twoTastes(Random random) {
        List<String[]> pairs = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int base = u % 2 == 0 ? 0 : 20;
            for (int i = 0; i < 20; i++) {
                if (random.nextDouble() < 0.5) {
                    pairs.add(new String[] {"u" + u, "i" + (base + i)});
                }
            }
            for (int i = 40; i < 80; i++) {
                if (random.nextDouble() < 0.15) {
                    pairs.add(new String[] {"u" + u, "i" + i});
                }
            }
        }
        return Interactions.of(pairs);
    }

    private static TwoTower.Config small(long seed) {
        return new TwoTower.Config(16, 32, 15, 128, 0.02f, 25, seed);
    }

    @BeforeAll
    static void trainOnTheOldUsers() {
        split = UserSplit.of(twoTastes(new Random(3)), 0.75, 42);
        model = new TwoTower(small(7), Map.of(), QUIET);
        model.fit(withoutNewUsers(split.train()));
    }

    /** The same users and items, the new users' training interactions removed. */
    private static Interactions withoutNewUsers(Interactions train) {
        List<String> users = IntStream.range(0, train.users()).mapToObj(train::userId).toList();
        List<String> items = IntStream.range(0, train.items()).mapToObj(train::itemId).toList();
        int[][] itemsByUser = new int[train.users()][];
        for (int u = 0; u < train.users(); u++) {
            itemsByUser[u] = isNew(train.userId(u)) ? new int[0] : train.itemsOf(u);
        }
        return new Interactions(users, items, itemsByUser);
    }

    private static boolean isNew(String userId) {
        return Integer.parseInt(userId.substring(1)) >= FIRST_NEW_USER;
    }

    @Test
    void learnsTheTastesThatPopularityCannotSee() {
        MostPopular popular = new MostPopular();
        popular.fit(split.train());

        double twoTowerNdcg = RankingMetrics.of(model, split, 10, Map.of()).ndcg();
        double popularNdcg = RankingMetrics.of(popular, split, 10, Map.of()).ndcg();

        assertThat(twoTowerNdcg).isGreaterThan(2 * popularNdcg);
        assertThat(model.epochLosses()).hasSize(15);
        assertThat(model.epochLosses().get(14)).isLessThan(model.epochLosses().get(0));
    }

    @Test
    void aNewUserGetsTheirTasteFromAFewItemsWithoutRetraining() {
        ItemVectors items = model.itemVectors();
        ExactItemSearch search = new ExactItemSearch(items);
        int inTaste = 0;
        int recommended = 0;
        for (int u = 0; u < split.train().users(); u++) {
            String userId = split.train().userId(u);
            if (!isNew(userId)) {
                continue;
            }
            boolean likesFirstHalf = Integer.parseInt(userId.substring(1)) % 2 == 0;
            // Three of the user's items of their taste: all the model knows of them.
            Set<String> history = Arrays.stream(split.train().itemsOf(u)).mapToObj(split.train()::itemId)
                    .filter(item -> tasteItem(item, likesFirstHalf)).limit(3).collect(Collectors.toSet());

            List<ScoredItem> top = search.search(model.userTower().vector(items, history), 5, history);

            inTaste += (int) top.stream().filter(hit -> tasteItem(hit.itemId(), likesFirstHalf)).count();
            recommended += top.size();
        }
        // By taste alone half the items of a taste group would be the other taste; popularity alone, none of them.
        assertThat((double) inTaste / recommended).isGreaterThan(0.9);
    }

    private static boolean tasteItem(String itemId, boolean firstHalf) {
        int item = Integer.parseInt(itemId.substring(1));
        return firstHalf ? item < 20 : item >= 20 && item < 40;
    }

    @Test
    void itsArtifactReproducesItsScores() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.model().write(bytes);

        TwoTowerModel read = TwoTowerModel.read(new ByteArrayInputStream(bytes.toByteArray()));
        ItemVectors items = read.items();

        Interactions train = split.train();
        assertThat(items.itemIds()).isEqualTo(model.itemVectors().itemIds());
        int user = 0;
        List<String> history = Arrays.stream(train.itemsOf(user)).mapToObj(train::itemId).toList();
        assertThat(read.knowsAnyOf(history)).isTrue();
        assertThat(read.knowsAnyOf(List.of("never-seen"))).isFalse();
        float[] userVector = read.userVector(history);
        double[] expected = model.scores(user);
        for (int item = 0; item < train.items(); item++) {
            float[] itemVector = items.vector(items.indexOf(train.itemId(item)));
            double dot = 0;
            for (int d = 0; d < userVector.length; d++) {
                dot += userVector[d] * itemVector[d];
            }
            assertThat(dot).isCloseTo(expected[item], offset(1e-5));
        }
    }

    @Test
    void theSameSeedTrainsTheSameModel() {
        TwoTower again = new TwoTower(small(7), Map.of(), QUIET);
        again.fit(withoutNewUsers(split.train()));

        assertThat(again.epochLosses()).isEqualTo(model.epochLosses());
        assertThat(again.itemVectors().vector(0)).containsExactly(model.itemVectors().vector(0));
    }

    @Test
    void genresCarryAnItemNobodyHasTrainedOnToTheUsersOfItsGenre() {
        Interactions train = withoutNewUsers(split.train());
        int cold = IntStream.range(0, train.items()).filter(item -> train.itemId(item).equals("i5")).findFirst().orElseThrow();
        int[][] withoutCold = new int[train.users()][];
        for (int u = 0; u < train.users(); u++) {
            withoutCold[u] = Arrays.stream(train.itemsOf(u)).filter(item -> item != cold).toArray();
        }
        Interactions coldTrain = new Interactions(IntStream.range(0, train.users()).mapToObj(train::userId).toList(),
                IntStream.range(0, train.items()).mapToObj(train::itemId).toList(), withoutCold);
        // Two genres that mirror the two tastes: the only thing that tells the model what the cold item is.
        Map<String, boolean[]> genres = IntStream.range(0, train.items()).mapToObj(train::itemId)
                .collect(Collectors.toMap(id -> id, id -> new boolean[] {tasteItem(id, true), tasteItem(id, false)}));
        TwoTower withGenres = new TwoTower(small(7), genres, QUIET);
        withGenres.fit(coldTrain);

        double firstTaste = 0;
        double secondTaste = 0;
        for (int u = 0; u < FIRST_NEW_USER; u++) {
            int user = Integer.parseInt(coldTrain.userId(u).substring(1));
            double score = withGenres.scores(u)[cold];
            if (user % 2 == 0) {
                firstTaste += score;
            } else {
                secondTaste += score;
            }
        }
        // Item 5 is of the first taste's genre.
        assertThat(firstTaste / (FIRST_NEW_USER / 2)).isGreaterThan(secondTaste / (FIRST_NEW_USER / 2));
    }
}
