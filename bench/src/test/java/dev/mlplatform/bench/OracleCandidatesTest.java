package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OracleCandidatesTest {

    /** Every item not in the user's history by the generator's weight, best first: what the walks must find. */
    private static List<OracleCandidates.Candidate> wholeCatalogue(InteractionSimulator simulator,
                                                                   InteractionSimulator.User user) {
        Set<Integer> history = history(user);
        return IntStream.range(0, simulator.items().size())
                .filter(item -> !history.contains(item))
                .mapToObj(item -> new OracleCandidates.Candidate(item, simulator.weight(user, item)))
                .sorted(Comparator.comparingDouble(OracleCandidates.Candidate::weight).reversed()
                        .thenComparingInt(OracleCandidates.Candidate::item))
                .toList();
    }

    private static Set<Integer> history(InteractionSimulator.User user) {
        return user.interactions().stream().map(InteractionSimulator.Interaction::item).collect(Collectors.toSet());
    }

    @Test
    void findsTheTopOfTheWholeCatalogueByWeightLeavingOutTheHistory() {
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Config(300, 2000, 40, 10, 30.0, 9));
        OracleCandidates oracle = new OracleCandidates(simulator);
        int[] historyAmongMostPopular = {0};

        simulator.forEachUser(user -> {
            List<OracleCandidates.Candidate> found = oracle.of(user, 50);

            assertThat(found).as("user %d", user.index()).isEqualTo(wholeCatalogue(simulator, user).subList(0, 50));
            assertThat(found).extracting(OracleCandidates.Candidate::item).doesNotContainAnyElementsOf(history(user));
            // The history is where the draws went: many of the items the user weighs most are in it.
            historyAmongMostPopular[0] += (int) wholeCatalogueWithHistory(simulator, user).stream()
                    .limit(50).filter(history(user)::contains).count();
        });

        assertThat(historyAmongMostPopular[0]).as("history items that the list had to leave out").isGreaterThan(300);
    }

    private static List<Integer> wholeCatalogueWithHistory(InteractionSimulator simulator, InteractionSimulator.User user) {
        return IntStream.range(0, simulator.items().size()).boxed()
                .sorted(Comparator.comparingDouble((Integer item) -> simulator.weight(user, item)).reversed())
                .toList();
    }

    @Test
    void givesWhatIsLeftWhenTheCatalogueRunsOut() {
        InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Config(20, 30, 22, 20, 30.0, 4));
        OracleCandidates oracle = new OracleCandidates(simulator);

        simulator.forEachUser(user -> assertThat(oracle.of(user, 25)).isEqualTo(wholeCatalogue(simulator, user))
                .hasSize(30 - user.interactions().size()));
    }
}
