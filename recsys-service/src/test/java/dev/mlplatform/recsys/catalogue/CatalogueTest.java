package dev.mlplatform.recsys.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.CatalogueItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void theNewestAreKeptInOrderThroughUpsertsThatMoveItemsInTime() {
        Catalogue catalogue = new Catalogue();
        List<CatalogueItem> old = new ArrayList<>();
        for (int i = 0; i < Catalogue.NEWEST_KEPT + 100; i++) {
            old.add(item("old-" + i, NOW.minus(Duration.ofDays(400 + i))));
        }
        catalogue.replace(old);
        catalogue.upsert(List.of(item("fresh", NOW.minus(Duration.ofHours(2))),
                item("future", NOW.plus(Duration.ofDays(1)))));

        assertThat(catalogue.newest(NOW, Duration.ofDays(7))).extracting(CatalogueItem::itemId)
                .containsExactly("fresh");

        // The newest item is republished as an old one: it leaves the new items, and the kept list is complete again.
        catalogue.upsert(List.of(item("fresh", NOW.minus(Duration.ofDays(10_000)))));
        assertThat(catalogue.newest(NOW, Duration.ofDays(7))).isEmpty();
        assertThat(catalogue.newest(NOW, Duration.ofDays(400 + Catalogue.NEWEST_KEPT)))
                .hasSize(Catalogue.NEWEST_KEPT - 1).first().extracting(CatalogueItem::itemId).isEqualTo("old-0");
        assertThat(catalogue.size()).isEqualTo(Catalogue.NEWEST_KEPT + 102);
    }

    @Test
    void genreSimilarityIsTheJaccardIndex() {
        Catalogue catalogue = new Catalogue();
        catalogue.replace(List.of(new CatalogueItem("a", "A", List.of("comedy", "drama"), List.of(), "", NOW),
                new CatalogueItem("b", "B", List.of("drama", "war", "crime"), List.of(), "", NOW)));

        assertThat(catalogue.genreSimilarity("a", "b")).isEqualTo(0.25);
        assertThat(catalogue.genreSimilarity("a", "a")).isEqualTo(1.0);
        assertThat(catalogue.genreSimilarity("a", "missing")).isZero();
    }

    private static CatalogueItem item(String id, Instant published) {
        return new CatalogueItem(id, "Title " + id, List.of("drama"), List.of(), "", published);
    }
}
