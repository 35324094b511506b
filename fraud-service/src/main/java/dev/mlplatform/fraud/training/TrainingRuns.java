package dev.mlplatform.fraud.training;

import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.registry.ModelRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./platform fraud train} behind the API: the same training, evaluation, charts and registration
 * ({@link FraudTrainCommand}), run in the service on one background thread, one run at a time (a run takes
 * both cores for tens of seconds to minutes). A client starts a run and polls it; the last
 * {@value #KEPT_RUNS} runs are kept in memory with their progress and result, which also stays on disk
 * ({@code result.json} beside the charts) and, for the model, in the registry.
 *
 * <p>The data file is named relative to a configured directory and may not leave it: an API must not read
 * whatever file the service's user can.
 */
public final class TrainingRuns implements AutoCloseable {

    static final int KEPT_RUNS = 20;
    static final int KEPT_PROGRESS_LINES = 50;

    private static final Logger log = LoggerFactory.getLogger(TrainingRuns.class);

    /** How a run stands. */
    public enum Status { RUNNING, SUCCEEDED, FAILED }

    /**
     * What to train on, as {@code ./platform fraud train}'s options; null means the command's default
     * (min precision 0.9, model name {@value FraudTrainCommand#DEFAULT_MODEL_NAME}, registered, seed 42).
     *
     * @param data a CSV file of historical transactions, relative to the configured data directory
     */
    public record Request(String data, LocalDate trainStart, Integer trainDays, Integer delayDays, Integer testDays,
                          Double minPrecision, String modelName, Boolean register, Long seed) {
    }

    /** A run as a client sees it: the result (the command's {@code --json} object) once it succeeded. */
    public record Run(String id, Status status, Request request, Instant startedAt, Instant finishedAt,
                      List<String> progress, Map<String, Object> result, String error) {
    }

    /** The request cannot be run as it stands; each field at fault is named. Nothing was started. */
    public static final class InvalidRequestException extends RuntimeException {

        private final List<FieldError> errors;

        public InvalidRequestException(List<FieldError> errors) {
            super(String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList()));
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** Another run is still training. */
    public static final class BusyException extends RuntimeException {

        BusyException(String runningId) {
            super("training run " + runningId + " is still running; one run at a time");
        }
    }

    private final Path dataDir;
    private final Path outDir;
    private final Supplier<CandidateSink> registry;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fraud-training-run");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, RunState> runs = new LinkedHashMap<>();
    private RunState running;

    public TrainingRuns(Path dataDir, Path outDir, Supplier<CandidateSink> registry, Clock clock) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.outDir = outDir.toAbsolutePath().normalize();
        this.registry = registry;
        this.clock = clock;
    }

    /** Checks the request and starts it in the background; returns the run, {@link Status#RUNNING}. */
    public synchronized Run start(Request request) {
        String id = UUID.randomUUID().toString();
        FraudTrainCommand.Options options = options(request, id);
        if (running != null) {
            throw new BusyException(running.id);
        }
        RunState run = new RunState(id, request, clock.instant());
        runs.put(id, run);
        while (runs.size() > KEPT_RUNS) {
            runs.remove(runs.keySet().iterator().next());
        }
        running = run;
        worker.execute(() -> execute(run, options));
        return run.snapshot();
    }

    /** The run with this id, while it is among the last {@value #KEPT_RUNS}. */
    public synchronized Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id)).map(RunState::snapshot);
    }

    private void execute(RunState run, FraudTrainCommand.Options options) {
        log.info("training run {} started: {}", run.id, run.request);
        try {
            Map<String, Object> result = FraudTrainCommand.train(options, registry, run::progress);
            finish(run, Status.SUCCEEDED, result, null);
            log.info("training run {} succeeded: auc_roc={} average_precision={}", run.id, result.get("auc_roc"),
                    result.get("average_precision"));
        } catch (RuntimeException | Error e) {
            // An Error too (a native library that fails to load): a run left RUNNING would refuse every later one.
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            finish(run, Status.FAILED, null, reason);
            log.warn("training run {} failed: {}", run.id, reason);
        }
    }

    private synchronized void finish(RunState run, Status status, Map<String, Object> result, String error) {
        run.status = status;
        run.result = result;
        run.error = error;
        run.finishedAt = clock.instant();
        running = null;
    }

    /** The command's options for a request, or every field at fault; the output goes to {@code outDir/id}. */
    private FraudTrainCommand.Options options(Request request, String id) {
        List<FieldError> errors = new ArrayList<>();
        Path data = null;
        if (request.data() == null || request.data().isBlank()) {
            errors.add(new FieldError("data", "is required: a CSV file under the training data directory"));
        } else {
            Path candidate = dataDir.resolve(request.data()).normalize();
            if (Path.of(request.data()).isAbsolute() || !candidate.startsWith(dataDir)) {
                errors.add(new FieldError("data", "must name a file under the training data directory, not "
                        + request.data()));
            } else if (!Files.isRegularFile(candidate)) {
                errors.add(new FieldError("data", "no such file under the training data directory: " + request.data()));
            } else {
                data = candidate;
            }
        }
        if (request.trainStart() == null) {
            errors.add(new FieldError("trainStart", "is required: the first training day, e.g. 2018-07-01"));
        }
        checkDays(errors, "trainDays", request.trainDays(), FraudTrainCommand.MIN_TRAIN_DAYS);
        checkDays(errors, "delayDays", request.delayDays(), 0);
        checkDays(errors, "testDays", request.testDays(), 1);
        double minPrecision = request.minPrecision() == null ? FraudTrainCommand.DEFAULT_MIN_PRECISION
                : request.minPrecision();
        if (!(minPrecision > 0 && minPrecision <= 1)) {
            errors.add(new FieldError("minPrecision", "must be in (0, 1], was " + minPrecision));
        }
        String modelName = request.modelName() == null ? FraudTrainCommand.DEFAULT_MODEL_NAME : request.modelName();
        if (!ModelRegistration.isValidName(modelName)) {
            errors.add(new FieldError("modelName", "must be 1 to 100 lower-case letters, digits, '.', '_' or '-'"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        TimeSplit split = new TimeSplit(request.trainStart(), request.trainDays(), request.delayDays(),
                request.testDays());
        return new FraudTrainCommand.Options(data, split, minPrecision, outDir.resolve(id), modelName,
                request.register() == null || request.register(),
                request.seed() == null ? FraudTrainCommand.DEFAULT_SEED : request.seed(), true);
    }

    private static void checkDays(List<FieldError> errors, String field, Integer days, int min) {
        if (days == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (days < min || days > FraudTrainCommand.MAX_DAYS) {
            errors.add(new FieldError(field, "must be between " + min + " and " + FraudTrainCommand.MAX_DAYS
                    + ", was " + days));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** A run's changing state; read through {@link #snapshot()} under the owner's lock. */
    private final class RunState {

        final String id;
        final Request request;
        final Instant startedAt;
        final Deque<String> progress = new ArrayDeque<>();
        Status status = Status.RUNNING;
        Instant finishedAt;
        Map<String, Object> result;
        String error;

        RunState(String id, Request request, Instant startedAt) {
            this.id = id;
            this.request = request;
            this.startedAt = startedAt;
        }

        void progress(String line) {
            synchronized (TrainingRuns.this) {
                progress.addLast(line);
                while (progress.size() > KEPT_PROGRESS_LINES) {
                    progress.removeFirst();
                }
            }
        }

        Run snapshot() {
            return new Run(id, status, request, startedAt, finishedAt, List.copyOf(progress), result, error);
        }
    }
}
