package dev.mlplatform.simulators.fraud;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The size and randomness of a simulated payment population, in the spirit of the simulator of the
 * <i>Reproducible Machine Learning for Credit Card Fraud Detection</i> handbook (Le Borgne et al.),
 * extended with card numbers, devices, channels and card-testing bursts.
 */
public record SimulationConfig(int customers, int terminals, LocalDate startDay, long seed,
                               int compromisedTerminalsPerDay, int compromisedCardsPerDay,
                               int cardTestingBurstsPerDay) {

    public SimulationConfig {
        if (customers <= 0 || terminals <= 0) {
            throw new IllegalArgumentException("customers and terminals must be positive");
        }
    }

    /** A population of the given size starting at {@code startDay}, with the handbook's daily fraud rates. */
    public static SimulationConfig of(int customers, int terminals, LocalDate startDay, long seed) {
        return new SimulationConfig(customers, terminals, startDay, seed, 2, 3, 2);
    }

    public Instant start() {
        return startDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
