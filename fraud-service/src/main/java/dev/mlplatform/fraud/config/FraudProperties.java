package dev.mlplatform.fraud.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the fraud service can be told, under {@code fraud.*}; every default suits a laptop.
 *
 * @param thresholds model score thresholds: below {@code review} approve, from {@code decline} on decline
 * @param features   the online feature read (Redis) and its circuit breaker
 * @param topics     Kafka topics in and out
 * @param rules      how often the rules table is reread
 * @param model      the model's registry name, artifact directory and first-start training
 * @param api        limits of the REST API
 * @param trainingRuns where {@code POST /api/fraud/v1/training-runs} reads its data and writes its results
 */
@ConfigurationProperties("fraud")
public record FraudProperties(
        @DefaultValue Thresholds thresholds,
        @DefaultValue Features features,
        @DefaultValue Topics topics,
        @DefaultValue Rules rules,
        @DefaultValue Model model,
        @DefaultValue Api api,
        @DefaultValue TrainingRuns trainingRuns) {

    /** Score below {@code review}: approve; from {@code review}: review; from {@code decline}: decline. */
    public record Thresholds(@DefaultValue("0.5") double review, @DefaultValue("0.85") double decline) {
    }

    /**
     * @param redisUrl               the online store, e.g. {@code redis://127.0.0.1:6379/0}
     * @param timeout                bound on one feature read; past it the decision is made without features
     * @param failureRateThreshold   percentage of failed or slow reads that opens the circuit
     * @param slidingWindowSize      reads the failure rate is computed over
     * @param minimumNumberOfCalls   reads before the failure rate counts
     * @param waitInOpenState        how long an open circuit skips Redis before trying again
     * @param readerThreads          threads that run feature reads under the time limit
     */
    public record Features(
            @DefaultValue("redis://127.0.0.1:6379/0") String redisUrl,
            @DefaultValue("40ms") Duration timeout,
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("50") int slidingWindowSize,
            @DefaultValue("20") int minimumNumberOfCalls,
            @DefaultValue("5s") Duration waitInOpenState,
            @DefaultValue("8") int readerThreads) {
    }

    /**
     * @param transactions transactions in (also where REST-scored transactions are published)
     * @param decisions    decisions out, keyed by card token
     * @param deadLetter   malformed transaction records, with the error in headers
     * @param labels       confirmed frauds out ({@code POST /api/fraud/v1/labels}), keyed by merchant id
     * @param partitions   partitions to create a missing topic with
     * @param group        the consumer group on the transactions topic
     * @param concurrency  consumer threads on the transactions topic
     * @param consume      whether to consume the transactions topic (off: REST only)
     */
    public record Topics(
            @DefaultValue("fraud.transactions.v1") String transactions,
            @DefaultValue("fraud.decisions.v1") String decisions,
            @DefaultValue("fraud.transactions.dlq.v1") String deadLetter,
            @DefaultValue("fraud.labels.v1") String labels,
            @DefaultValue("4") int partitions,
            @DefaultValue("fraud-service") String group,
            @DefaultValue("1") int concurrency,
            @DefaultValue("true") boolean consume) {
    }

    /** @param reloadInterval how often the rules table is reread (changes apply without restart) */
    public record Rules(@DefaultValue("5s") Duration reloadInterval) {
    }

    /**
     * @param name        the model's name in the registry
     * @param artifactDir the registry's artifact store
     * @param training    the simulated data a missing model is trained on
     */
    public record Model(
            @DefaultValue("fraud-gbdt") String name,
            @DefaultValue(".platform/artifacts") Path artifactDir,
            @DefaultValue Training training) {
    }

    /**
     * The simulated population and time split a missing model is trained on: the first
     * {@code days - testDays} days train, the last {@code testDays} days evaluate.
     */
    public record Training(
            @DefaultValue("2000") int customers,
            @DefaultValue("4000") int terminals,
            @DefaultValue("21") int days,
            @DefaultValue("7") int testDays,
            @DefaultValue("2026-04-01") LocalDate startDay,
            @DefaultValue("42") long seed,
            @DefaultValue("100") int rounds,
            @DefaultValue("4") int maxDepth) {
    }

    /**
     * @param maxBodySize     larger request bodies are refused with 413
     * @param labelAckTimeout how long a fraud report waits for the broker to acknowledge its label before
     *                        answering 503
     */
    public record Api(@DefaultValue("64KB") DataSize maxBodySize, @DefaultValue("5s") Duration labelAckTimeout) {
    }

    /**
     * Directories as plain strings: Spring's conversion to {@code Path} reads a value as a resource location and
     * refuses one that starts with {@code ..}.
     *
     * @param dataDir the only directory training runs read CSV files from (the shared data sets beside the project)
     * @param outDir  where each run's charts, ONNX model and result.json go, in a folder named by its id
     */
    public record TrainingRuns(@DefaultValue("../shared/datasets") String dataDir,
                               @DefaultValue(".platform/fraud-train") String outDir) {
    }

    /** Resolves the artifact directory against the working directory. */
    public Path artifactDirectory() {
        return model.artifactDir().toAbsolutePath().normalize();
    }
}
