package dev.mlplatform.bench;

import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.recsys.model.ItemVectors;
import dev.mlplatform.recsys.model.TwoTowerModel;
import dev.mlplatform.recsys.model.UserTower;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two-tower retrieval model of {@code bench recs-load}'s catalogue, made from the generator's own structure, as
 * the oracle candidates are: an item's vector is its genres (each of its k genres 1/k) and its popularity over the
 * most popular's; the user tower passes the mean of the history's item vectors through unchanged, so a user's
 * nearest items share their genres and are popular. Training a two-tower on 50 million interactions is a cluster
 * job; the serving cost (a user vector, an HNSW search over 100,000 items) is the same for this model as for a
 * trained one of its size.
 */
final class GeneratorRetrievalModel {

    static final String NAME = "recs-two-tower";

    private GeneratorRetrievalModel() {
    }

    static TwoTowerModel of(InteractionSimulator simulator) {
        List<InteractionSimulator.Item> items = simulator.items();
        int genres = InteractionSimulator.GENRE_NAMES.size();
        double mostPopular = 0;
        for (InteractionSimulator.Item item : items) {
            mostPopular = Math.max(mostPopular, simulator.popularity(item.index()));
        }
        List<String> ids = new ArrayList<>(items.size());
        float[][] vectors = new float[items.size()][genres + 1];
        for (InteractionSimulator.Item item : items) {
            ids.add(RecsLoad.itemId(item.index()));
            for (String genre : item.genres()) {
                vectors[item.index()][InteractionSimulator.GENRE_NAMES.indexOf(genre)] = 1f / item.genres().size();
            }
            vectors[item.index()][genres] = (float) (simulator.popularity(item.index()) / mostPopular);
        }
        int dimension = genres + 1;
        UserTower meanOfHistory = new UserTower(dimension, 1, new float[dimension], new float[1], new float[dimension],
                new float[dimension]);
        return new TwoTowerModel(new ItemVectors(ids, vectors), meanOfHistory);
    }

    /** Registers the model and puts it in production: recsys-service indexes it within its model refresh. */
    static ModelVersion register(ModelRegistry registry, TwoTowerModel model, long seed) {
        ByteArrayOutputStream artifact = new ByteArrayOutputStream();
        try {
            model.write(artifact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelVersion version = registry.register(new ModelRegistration(NAME, ModelFormat.TWO_TOWER, Map.of(),
                new Lineage("generator:seed " + seed, null, List.of(), "bench recs-load",
                        Map.of("items", Integer.toString(model.items().size())))), artifact.toByteArray());
        registry.promote(NAME, version.version(), "bench recs-load: the generator's vectors for its catalogue");
        return version;
    }
}
