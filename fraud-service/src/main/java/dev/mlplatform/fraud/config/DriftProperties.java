package dev.mlplatform.fraud.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Drift monitoring of the serving model, under {@code fraud.drift.*}.
 *
 * @param window decisions per feature that PSI and KS are computed over: large enough that a
 *               decile bin holds hundreds (the PSI of an unchanged distribution is then about
 *               0.001), small enough to follow traffic within minutes
 */
@ConfigurationProperties("fraud.drift")
public record DriftProperties(@DefaultValue("10000") int window) {
}
