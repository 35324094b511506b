package dev.mlplatform.recsys.model;

import dev.mlplatform.recsys.evaluation.Interactions;

/** Every user gets the items most users interacted with: the baseline any personal model must beat. */
public final class MostPopular implements Recommender {

    private double[] popularity;

    @Override
    public String name() {
        return "most-popular";
    }

    @Override
    public void fit(Interactions train) {
        popularity = new double[train.items()];
        for (int u = 0; u < train.users(); u++) {
            for (int item : train.itemsOf(u)) {
                popularity[item]++;
            }
        }
    }

    @Override
    public double[] scores(int user) {
        return popularity.clone();
    }
}
