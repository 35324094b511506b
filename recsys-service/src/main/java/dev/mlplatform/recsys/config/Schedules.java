package dev.mlplatform.recsys.config;

import dev.mlplatform.recsys.catalogue.Catalogue;
import dev.mlplatform.recsys.catalogue.CatalogueStore;
import dev.mlplatform.recsys.feedback.FeedbackProcessor;
import dev.mlplatform.recsys.serving.ProductionModel;
import java.util.List;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What runs on its own: the catalogue and the models loaded at start, then refreshed (what changed in the
 * catalogue, a new production version of a model), and the impressions whose attribution window passed closed into the
 * experiments. A failure is logged and retried at the next tick; the service goes on serving what it has.
 */
@Component
class Schedules implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final CatalogueStore store;
    private final Catalogue catalogue;
    private final List<ProductionModel<?>> models;
    private final FeedbackProcessor feedback;
    private final Clock clock;
    private Instant catalogueSeen = Instant.EPOCH;

    Schedules(CatalogueStore store, Catalogue catalogue, List<ProductionModel<?>> models, FeedbackProcessor feedback,
              Clock clock) {
        this.store = store;
        this.catalogue = catalogue;
        this.models = models;
        this.feedback = feedback;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        CatalogueStore.Changes all = store.changedSince(Instant.EPOCH);
        catalogue.replace(all.items());
        catalogueSeen = all.latest();
        log.info("catalogue loaded: {} items", catalogue.size());
        refreshModels();
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
    void refreshModels() {
        for (ProductionModel<?> model : models) {
            try {
                model.refresh();
            } catch (RuntimeException e) {
                log.warn("model refresh failed: {}", e.toString());
            }
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
