package dev.mlplatform.fraud.training;

import dev.mlplatform.core.db.Databases;
import dev.mlplatform.core.registry.ArtifactStore;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelRegistry;
import dev.mlplatform.core.registry.ModelVersion;
import java.nio.file.Path;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Registers a trained model in the platform's registry (Postgres database, artifacts on disk) the way
 * fraud-service does, but as a candidate only: it stays in stage {@code REGISTERED}, serving nothing,
 * until someone promotes it.
 *
 * @param host     Postgres host ({@code DB_HOST}, default 127.0.0.1)
 * @param port     its port ({@code DB_PORT}, default 5432)
 * @param user     {@code DB_USER}, default postgres
 * @param password {@code DB_PASSWORD}, default none
 * @param database {@code DB_NAME}, default mlplatform, created when missing
 * @param artifacts the artifact store's root ({@code MODEL_ARTIFACT_DIR}, default {@code .platform/artifacts})
 */
public record CandidateRegistry(String host, int port, String user, String password, String database,
                                Path artifacts) implements CandidateSink {

    /** The registry ./platform up uses, from the same environment variables. */
    public static CandidateRegistry fromEnvironment(Map<String, String> env, Path home) {
        String port = env.getOrDefault("DB_PORT", "5432");
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("DB_PORT is not a port number: '" + port + "'");
        }
        String artifacts = env.get("MODEL_ARTIFACT_DIR");
        return new CandidateRegistry(env.getOrDefault("DB_HOST", "127.0.0.1"), Integer.parseInt(port),
                env.getOrDefault("DB_USER", "postgres"), env.getOrDefault("DB_PASSWORD", ""),
                env.getOrDefault("DB_NAME", "mlplatform"),
                artifacts == null || artifacts.isBlank() ? home.resolve(".platform").resolve("artifacts")
                        : home.resolve(artifacts));
    }

    /**
     * Stores {@code onnx} and registers it with its metrics and lineage.
     *
     * @throws IllegalStateException when the database cannot be reached, naming it
     */
    @Override
    public ModelVersion register(ModelRegistration registration, byte[] onnx) {
        Databases.createIfMissing(host, port, user, password, database);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        ModelRegistry.migrate(dataSource);
        return new ModelRegistry(dataSource, new ArtifactStore(artifacts)).register(registration, onnx);
    }

    /** {@code host:port/database}, for messages. */
    @Override
    public String where() {
        return host + ":" + port + "/" + database;
    }
}
