package dev.mlplatform.simulators.recsys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionSimulatorTest {

    @TempDir
    Path dir;

    @Test
    void writesMovieLensShapedDataTheSameForTheSameSeed() throws Exception {
        InteractionSimulator.Config config = new InteractionSimulator.Config(200, 300, 40, 10, 4.0, 7);
        new InteractionSimulator(config).writeMovieLensFiles(dir.resolve("a"));
        new InteractionSimulator(config).writeMovieLensFiles(dir.resolve("b"));

        List<String> ratings = Files.readAllLines(dir.resolve("a/u.data"));
        assertThat(ratings).isEqualTo(Files.readAllLines(dir.resolve("b/u.data")));
        assertThat(Files.readAllLines(dir.resolve("a/u.item"))).hasSize(300)
                .allSatisfy(line -> assertThat(line.split("\\|", -1)).hasSize(5 + InteractionSimulator.GENRES));

        Map<String, Set<String>> itemsByUser = new HashMap<>();
        Map<String, Integer> itemCounts = new HashMap<>();
        for (String line : ratings) {
            String[] fields = line.split("\t");
            assertThat(fields).hasSize(4);
            assertThat(itemsByUser.computeIfAbsent(fields[0], u -> new HashSet<>()).add(fields[1]))
                    .as("no repeat of a user's item").isTrue();
            itemCounts.merge(fields[1], 1, Integer::sum);
        }
        assertThat(itemsByUser).hasSize(200);
        assertThat(itemsByUser.values()).allSatisfy(items -> assertThat(items.size()).isGreaterThanOrEqualTo(10));
        assertThat(ratings.size() / 200.0).isBetween(30.0, 50.0);
        // A long tail: the most popular item is far above the median one.
        List<Integer> counts = itemCounts.values().stream().sorted().toList();
        assertThat(counts.get(counts.size() - 1)).isGreaterThan(5 * counts.get(counts.size() / 2));
    }

    @Test
    void generatesWhatItGeneratedBeforeItExposedItsUsers() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        new InteractionSimulator(new InteractionSimulator.Config(200, 300, 40, 10, 4.0, 7)).forEachInteraction(i ->
                digest.update((i.user() + "," + i.item() + "," + i.rating() + "," + i.epochSecond() + "\n")
                        .getBytes(StandardCharsets.UTF_8)));

        // The digest of the interactions before forEachUser existed: the same seed still gives the same data.
        assertThat(HexFormat.of().formatHex(digest.digest()))
                .isEqualTo("7a3e2943377c6bc7801334063fa958e9e68f29234194c2df027b959158576631");
    }

    @Test
    void givesEveryUserWithTheirFavouriteGenresAndTheSameInteractions() {
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Config(50, 300, 30, 10, 4.0, 3));
        List<InteractionSimulator.Interaction> streamed = new ArrayList<>();
        simulator.forEachInteraction(streamed::add);
        List<InteractionSimulator.Interaction> byUser = new ArrayList<>();
        List<Integer> users = new ArrayList<>();

        simulator.forEachUser(user -> {
            users.add(user.index());
            assertThat(user.favouriteGenres()).hasSizeBetween(1, 3).doesNotHaveDuplicates()
                    .isSubsetOf(InteractionSimulator.GENRE_NAMES);
            assertThat(user.interactions()).allSatisfy(i -> assertThat(i.user()).isEqualTo(user.index()));
            assertThat(user.region()).isEqualTo(user.interactions().get(0).region());
            byUser.addAll(user.interactions());
        });

        assertThat(users).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(byUser).isEqualTo(streamed);
    }

    @Test
    void aUsersFirstDrawFollowsTheirWeights() {
        // One item per user: each drawn from the whole catalogue, so the weights predict it exactly.
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Config(4000, 3000, 1, 1, 4.0, 11));
        double[] predicted = new double[2];
        double[] observed = new double[2];
        simulator.forEachUser(user -> {
            double total = 0;
            double sharedGenres = 0;
            double popularity = 0;
            for (int item = 0; item < simulator.items().size(); item++) {
                double weight = simulator.weight(user, item);
                total += weight;
                sharedGenres += weight * favouritesOf(simulator, user, item);
                popularity += weight * simulator.popularity(item);
            }
            predicted[0] += sharedGenres / total;
            predicted[1] += popularity / total;
            int drawn = user.interactions().get(0).item();
            observed[0] += favouritesOf(simulator, user, drawn);
            observed[1] += simulator.popularity(drawn);
        });

        // Taste: the drawn item has as many of the user's favourite genres as the weights expect (0.64 here, 0.23 by
        // popularity alone); popularity: the drawn item is as popular as they expect.
        assertThat(observed[0] / 4000).isCloseTo(predicted[0] / 4000, offset(0.05));
        assertThat(observed[1] / predicted[1]).isCloseTo(1.0, offset(0.1));
        InteractionSimulator.User anyone = new InteractionSimulator.User(0, List.of("comedy"), List.of());
        InteractionSimulator.Item comedy = simulator.items().stream().filter(i -> i.genres().equals(List.of("comedy")))
                .findFirst().orElseThrow();
        assertThat(simulator.weight(anyone, comedy.index())).isEqualTo(5 * simulator.popularity(comedy.index()));
    }

    private static int favouritesOf(InteractionSimulator simulator, InteractionSimulator.User user, int item) {
        return (int) simulator.items().get(item).genres().stream().filter(user.favouriteGenres()::contains).count();
    }

    @Test
    void refusesImpossibleSizes() {
        assertThatThrownBy(() -> new InteractionSimulator.Config(10, 5, 10, 20, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
