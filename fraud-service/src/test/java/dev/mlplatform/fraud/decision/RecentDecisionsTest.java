package dev.mlplatform.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentDecisionsTest {

    @Test
    void remembersTheLastIdsUpToItsCapacity() {
        RecentDecisions recent = new RecentDecisions(3);

        recent.add("a");
        recent.add("b");
        recent.add("c");
        recent.add("d");

        assertThat(recent.contains("a")).isFalse();
        assertThat(recent.contains("b")).isTrue();
        assertThat(recent.contains("d")).isTrue();
        assertThat(recent.contains("x")).isFalse();
    }

    @Test
    void addingAnIdTwiceTakesOneSlot() {
        RecentDecisions recent = new RecentDecisions(2);

        recent.add("a");
        recent.add("a");
        recent.add("b");

        assertThat(recent.contains("a")).isTrue();
        assertThat(recent.contains("b")).isTrue();
    }
}
