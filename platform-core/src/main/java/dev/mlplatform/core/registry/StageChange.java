package dev.mlplatform.core.registry;

import java.time.Instant;

/**
 * One entry of a model's audit trail.
 *
 * @param name      the model's name
 * @param version   the version whose stage changed
 * @param fromStage the stage it left; {@code null} for its registration
 * @param toStage   the stage it entered
 * @param reason    why, as the caller or the registry put it
 * @param changedAt when
 */
public record StageChange(String name, int version, ModelStage fromStage, ModelStage toStage, String reason,
                          Instant changedAt) {
}
