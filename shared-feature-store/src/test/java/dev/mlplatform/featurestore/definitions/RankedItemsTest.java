package dev.mlplatform.featurestore.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankedItemsTest {

    @Test
    void roundTripsIdsWithColonsAndFractionalOrWholeValues() {
        RankedItems items = new RankedItems(List.of(new RankedItems.Entry("tt:42", 0.8731234567),
                new RankedItems.Entry("7", 12), new RankedItems.Entry("x", -0.00001)));

        String encoded = items.encode();

        assertThat(encoded).isEqualTo("tt:42:0.873123,7:12,x:-1.00000e-05");
        assertThat(RankedItems.parse(encoded).itemIds()).containsExactly("tt:42", "7", "x");
        assertThat(RankedItems.parse(encoded).entries().get(1).value()).isEqualTo(12.0);
        assertThat(RankedItems.parse(encoded).entries().get(2).value()).isEqualTo(-0.00001);
    }

    @Test
    void emptyAndMalformed() {
        assertThat(RankedItems.parse("").entries()).isEmpty();
        assertThat(RankedItems.parse(null).entries()).isEmpty();
        assertThatThrownBy(() -> RankedItems.parse("a:1,b")).isInstanceOf(IllegalArgumentException.class);
    }
}
