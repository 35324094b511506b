package dev.mlplatform.recsys.model;

import dev.mlplatform.recsys.evaluation.Interactions;

/** A model that scores every item for a user of the interactions it was fitted on; higher is better. */
public interface Recommender {

    /** The name by which the command line and the reports know it. */
    String name();

    void fit(Interactions train);

    /** A score per item (index as in the interactions) for {@code user}; items the user has are not excluded here. */
    double[] scores(int user);
}
