package dev.mlplatform.recsys.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UserSplitTest {

    @Test
    void splitsEachUsersItemsThreeToOneWithoutOverlapAndTheSameWayForTheSameSeed() {
        List<String[]> pairs = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> pairs.add(new String[] {"a", "i" + i}));
        IntStream.range(0, 3).forEach(i -> pairs.add(new String[] {"b", "i" + i}));
        pairs.add(new String[] {"c", "i7"});
        Interactions all = Interactions.of(pairs);

        UserSplit split = UserSplit.of(all, 0.75, 42);

        assertThat(split.train().itemsOf(0)).hasSize(15);
        assertThat(split.test().itemsOf(0)).hasSize(5).doesNotContain(split.train().itemsOf(0));
        assertThat(split.train().itemsOf(1)).hasSize(3);
        assertThat(split.test().itemsOf(2)).isEmpty();
        assertThat(split.train().size() + split.test().size()).isEqualTo(all.size());
        assertThat(UserSplit.of(all, 0.75, 42).test().itemsOf(0)).containsExactly(split.test().itemsOf(0));
        assertThat(UserSplit.of(all, 0.75, 7).test().itemsOf(0)).isNotEqualTo(split.test().itemsOf(0));
    }
}
