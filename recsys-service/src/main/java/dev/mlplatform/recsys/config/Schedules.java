package dev.mlplatform.recsys.config;

import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.catalogue.CatalogueStore;
import dev.mlplatform.recsys.feedback.FeedbackProcessor;
import dev.mlplatform.recsys.serving.ServingNeighbours;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What runs on its own: the catalogue and the model loaded at start, then refreshed (what changed in the
 * catalogue, a new production model), and the impressions whose attribution window passed closed into the
 * experiments. A failure is logged and retried at the next tick; the service goes on serving what it has.
 */
@Component
class Schedules implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final CatalogueStore store;
    private final Catalogue catalogue;
    private final ServingNeighbours neighbours;
    private final FeedbackProcessor feedback;
    private final Clock clock;
    private Instant catalogueSeen = Instant.EPOCH;

    Schedules(CatalogueStore store, Catalogue catalogue, ServingNeighbours neighbours, FeedbackProcessor feedback,
              Clock clock) {
        this.store = store;
        this.catalogue = catalogue;
        this.neighbours = neighbours;
        this.feedback = feedback;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        CatalogueStore.Changes all = store.changedSince(Instant.EPOCH);
        catalogue.replace(all.items());
        catalogueSeen = all.latest();
        log.info("catalogue loaded: {} items", catalogue.size());
        refreshModel();
    }

    @Scheduled(fixedDelayString = "${recs.catalogue-refresh:10s}", initialDelayString = "${recs.catalogue-refresh:10s}")
    synchronized void refreshCatalogue() {
        try {
            CatalogueStore.Changes changes = store.changedSince(catalogueSeen);
            catalogue.upsert(changes.items());
            catalogueSeen = changes.latest();
        } catch (RuntimeException e) {
            log.warn("catalogue refresh failed: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${recs.model-refresh:60s}", initialDelayString = "${recs.model-refresh:60s}")
    void refreshModel() {
        try {
            neighbours.refresh();
        } catch (RuntimeException e) {
            log.warn("model refresh failed: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${recs.impression-close:5s}")
    void closeImpressions() {
        try {
            feedback.closeDue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("closing impressions failed: {}", e.toString());
        }
    }
}
