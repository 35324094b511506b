package dev.mlplatform.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemArtifactsTest {

    @Test
    void itemVectorsRoundTrip() throws IOException {
        ItemVectors vectors = new ItemVectors(List.of("a", "b:2"), new float[][] {{1f, -2.5f}, {0f, 3f}});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        vectors.write(out);

        ItemVectors read = ItemVectors.read(new ByteArrayInputStream(out.toByteArray()));

        assertThat(read.itemIds()).containsExactly("a", "b:2");
        assertThat(read.dimension()).isEqualTo(2);
        assertThat(read.vector(read.indexOf("b:2"))).containsExactly(0f, 3f);
        assertThat(read.indexOf("missing")).isEqualTo(-1);
    }

    @Test
    void itemNeighboursRoundTripKeepingOrder() throws IOException {
        Map<String, List<ItemNeighbours.Neighbour>> map = new LinkedHashMap<>();
        map.put("a", List.of(new ItemNeighbours.Neighbour("c", 0.9f), new ItemNeighbours.Neighbour("b", 0.1f)));
        map.put("b", List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ItemNeighbours(map).write(out);

        ItemNeighbours read = ItemNeighbours.read(new ByteArrayInputStream(out.toByteArray()));

        assertThat(read.items()).isEqualTo(2);
        assertThat(read.of("a")).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("c", "b");
        assertThat(read.of("unknown")).isEmpty();
    }

    @Test
    void rejectsAnotherArtifact() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> {
            new ItemVectors(List.of("a"), new float[][] {{1f}}).write(out);
            ItemNeighbours.read(new ByteArrayInputStream(out.toByteArray()));
        }).isInstanceOf(IOException.class).hasMessageContaining("MLPIV1");
    }
}
