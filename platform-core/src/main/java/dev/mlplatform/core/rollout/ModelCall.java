package dev.mlplatform.core.rollout;

/**
 * Work done with the serving model, given the version that serves it (to report which model
 * answered).
 *
 * @param <M> the model type
 * @param <R> the result
 * @param <X> the checked exception the work may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface ModelCall<M, R, X extends Exception> {

    R call(M model, String version) throws X;
}
