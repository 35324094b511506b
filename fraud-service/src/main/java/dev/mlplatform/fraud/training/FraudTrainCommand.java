package dev.mlplatform.fraud.training;

import dev.mlplatform.core.cli.CommandOptions.UsageException;
import dev.mlplatform.core.cli.CommandOptions;
import dev.mlplatform.core.evaluation.BinaryClassificationMetrics.OperatingPoint;
import dev.mlplatform.core.evaluation.BinaryClassificationMetrics;
import dev.mlplatform.core.inference.OnnxPredictor;
import dev.mlplatform.core.inference.OnnxPredictorOptions;
import dev.mlplatform.core.registry.CodeVersion;
import dev.mlplatform.core.registry.FeatureViewRef;
import dev.mlplatform.core.registry.Lineage;
import dev.mlplatform.core.registry.ModelFormat;
import dev.mlplatform.core.registry.ModelRegistration;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.core.training.gbdt.EvalMetric;
import dev.mlplatform.core.training.gbdt.GbdtModel;
import dev.mlplatform.core.training.gbdt.GbdtParams;
import dev.mlplatform.featurestore.definitions.TransactionHistoryFeatures;
import dev.mlplatform.fraud.model.ModelParams;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./platform fraud train}: trains and evaluates the fraud GBDT on a file of historical transactions
 * following the protocol of the handbook <i>Reproducible Machine Learning for Credit Card Fraud
 * Detection</i> (Le Borgne et al.) — features from {@link TransactionHistoryFeatures}, the
 * train / delay / test split of {@link TimeSplit}, AUC ROC, Average Precision and {@link CardPrecision
 * Card Precision@100} on the test days — beside a logistic-regression baseline and the handbook's
 * published figures; exports the GBDT to ONNX, checks ONNX Runtime scores as XGBoost does, draws the
 * curves and registers the model as a candidate.
 *
 * <p>Progress goes to stderr; the result to stdout, as a table or with {@code --json} as one JSON object.
 * Exit status 0 on success, 2 for a bad option or data file (one line says which), 1 otherwise.
 */
public final class FraudTrainCommand {

    static final String USAGE = """
            usage: ./platform fraud train --data FILE --train-start DATE --train-days N --delay-days N --test-days N
                                          [--min-precision P] [--out DIR] [--model-name NAME] [--no-register]
                                          [--seed N] [--json]
              --data           historical transactions, CSV (plain or gzipped) with the columns tx_datetime,
                               customer_id, terminal_id, tx_amount, tx_fraud (others ignored)
              --train-start    first training day (2018-07-01); features use all the history before it
              --train-days     training days; the last 2 of 7 choose the hyper-parameters
              --delay-days     days between training and test while fraud labels arrive (the handbook: 7)
              --test-days      test days; customers known compromised by then are not scored
              --min-precision  the operating point: the highest recall on the test days' precision-recall
                               curve at this precision or more (default 0.9)
              --out            where the charts, the ONNX model and result.json go
                               (default .platform/fraud-train/<time>/)
              --model-name     registry name (default fraud-sim-gbdt), registered as a candidate, not served
              --no-register    skip the model registry (no Postgres needed)
              --seed           XGBoost's random seed (default 42)
              --json           one JSON object on stdout (progress stays on stderr)""";

    static final String DEFAULT_MODEL_NAME = "fraud-sim-gbdt";
    static final double DEFAULT_MIN_PRECISION = 0.9;
    static final long DEFAULT_SEED = 42;
    /** Training needs at least this many days: the last ones choose the hyper-parameters of a model trained on the others. */
    static final int MIN_TRAIN_DAYS = 2;
    /** The longest period any part of a split may span. */
    static final int MAX_DAYS = 3660;
    /** ONNX Runtime must score every test row as XGBoost does, to this tolerance. */
    static final double ONNX_TOLERANCE = 1e-5;
    /** The seed's bar (DESIGN §5): 99 % precision, 95 % recall. */
    static final double BAR_PRECISION = 0.99;
    static final double BAR_RECALL = 0.95;

    /** The handbook's test figures after model selection (AUC ROC, AP, CP@100), chapter "Model selection". */
    static final Map<String, double[]> PUBLISHED = publishedFigures();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonMapper JSON_FILE = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final List<Double> LOGISTIC_REGRESSION_C = List.of(0.01, 0.1, 1.0, 10.0, 100.0);

    private FraudTrainCommand() {
    }

    /** What the command line asks for. */
    record Options(Path data, TimeSplit split, double minPrecision, Path out, String modelName, boolean register,
                   long seed, boolean json) {

        private static final Set<String> VALUED = Set.of("data", "train-start", "train-days", "delay-days",
                "test-days", "min-precision", "out", "model-name", "seed");
        private static final Set<String> FLAGS = Set.of("json", "no-register");

        static Options parse(List<String> args, Path home, Clock clock) {
            CommandOptions values = CommandOptions.parse(args, VALUED, FLAGS);
            for (String required : List.of("data", "train-start", "train-days", "delay-days", "test-days")) {
                values.required(required);
            }
            LocalDate trainStart;
            try {
                trainStart = LocalDate.parse(values.required("train-start"));
            } catch (DateTimeParseException e) {
                throw new UsageException("--train-start: '" + values.required("train-start")
                        + "' is not a date like 2018-07-01");
            }
            TimeSplit split = new TimeSplit(trainStart, integer(values, "train-days", 1),
                    integer(values, "delay-days", 0), integer(values, "test-days", 1));
            if (split.trainDays() < MIN_TRAIN_DAYS) {
                throw new UsageException("--train-days must be at least " + MIN_TRAIN_DAYS + ": the last training days choose the "
                        + "hyper-parameters of a model trained on the others");
            }
            double minPrecision = number(values.string("min-precision", String.valueOf(DEFAULT_MIN_PRECISION)),
                    "min-precision");
            if (!(minPrecision > 0 && minPrecision <= 1)) {
                throw new UsageException("--min-precision must be in (0, 1], was " + minPrecision);
            }
            // Paths the user typed are relative to where the command runs; the default lives in the platform's state.
            Path out = values.has("out") ? Path.of(values.required("out")).toAbsolutePath().normalize()
                    : home.resolve(".platform").resolve("fraud-train").resolve(DateTimeFormatter
                    .ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant()));
            String modelName = values.string("model-name", DEFAULT_MODEL_NAME);
            long seed;
            try {
                seed = Long.parseLong(values.string("seed", String.valueOf(DEFAULT_SEED)));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed: '" + values.string("seed", "") + "' is not a whole number");
            }
            return new Options(Path.of(values.required("data")).toAbsolutePath().normalize(), split, minPrecision,
                    out, modelName, !values.flag("no-register"), seed, values.flag("json"));
        }

        private static int integer(CommandOptions values, String name, int min) {
            String value = values.required(name);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > MAX_DAYS) {
                    throw new UsageException("--" + name + " must be between " + min + " and " + MAX_DAYS + ", was "
                            + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": '" + value + "' is not a whole number");
            }
        }

        private static double number(String value, String name) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": '" + value + "' is not a number");
            }
        }
    }

    /**
     * Runs the command; returns the exit status. Every failure it expects (options, data, registry) is
     * one line on {@code err}, never a stack trace.
     */
    public static int run(List<String> args, Path home, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        boolean json = args.contains("--json");
        try {
            Options options = Options.parse(args, home, Clock.systemUTC());
            Map<String, Object> result = train(options, () -> candidateRegistry(env, home), err::println);
            if (options.json()) {
                out.println(JSON.writeValueAsString(result));
            } else {
                describe(result).forEach(out::println);
            }
            return 0;
        } catch (UsageException e) {
            return fail(err, out, json, e.getMessage(), 2, USAGE);
        } catch (DataFileException e) {
            return fail(err, out, json, e.getMessage(), 2, null);
        } catch (RegistryException e) {
            return fail(err, out, json, e.getMessage() + " (--no-register skips the registry)", 1, null);
        } catch (OnnxMismatchException e) {
            return fail(err, out, json, e.getMessage(), 1, null);
        }
    }

    private static int fail(PrintStream err, PrintStream out, boolean json, String message, int status, String usage) {
        err.println("error: " + message);
        if (usage != null) {
            err.println(usage);
        }
        if (json) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("status", "failed");
            failed.put("error", message);
            out.println(JSON.writeValueAsString(failed));
        }
        return status;
    }

    /** The registry could not take the model. */
    static final class RegistryException extends RuntimeException {

        RegistryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The ONNX export scores differently from the booster it came from. */
    static final class OnnxMismatchException extends RuntimeException {

        OnnxMismatchException(String message) {
            super(message);
        }
    }

    /** The registry of {@code ./platform up}, from the environment; a malformed setting is a usage error. */
    private static CandidateSink candidateRegistry(Map<String, String> env, Path home) {
        try {
            return CandidateRegistry.fromEnvironment(env, home);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Reads, replays, selects, trains, evaluates and exports, writes the charts and the result to
     * {@link Options#out()}, and registers the GBDT in {@code registry} (opened only when registering).
     */
    static Map<String, Object> train(Options options, Supplier<CandidateSink> registry, Consumer<String> progress) {
        TimeSplit split = options.split();
        TransactionLog log = TransactionCsvReader.read(options.data(), progress);
        if (split.trainStart().isBefore(log.firstDay()) || split.testEnd().minusDays(1).isAfter(log.lastDay())) {
            throw new DataFileException("the split needs " + split.trainStart() + " to " + split.testEnd().minusDays(1)
                    + " (" + split + ") but " + options.data() + " holds " + log.firstDay() + " to " + log.lastDay());
        }
        Duration delay = Duration.ofDays(split.delayDays());
        Examples all = HistoryReplay.replay(log, delay, split.trainStart(), split.testEnd(), progress);
        Examples train = split.train(all);
        Examples test = split.test(all);
        TimeSplit inner = split.validation();
        Examples innerTrain = inner.train(train);
        Examples validation = inner.test(train);
        Examples testDays = all.between(split.testStart(), split.testEnd());
        progress.accept(String.format("split: %s; train %,d transactions (%,d fraud), test %,d (%,d fraud) after "
                        + "leaving out %,d of customers already known compromised; hyper-parameters chosen on %s to %s",
                split, train.size(), train.frauds(), test.size(), test.frauds(), testDays.size() - test.size(),
                inner.testStart(), inner.testEnd().minusDays(1)));
        if (train.frauds() == 0 || innerTrain.frauds() == 0 || validation.frauds() == 0) {
            throw new DataFileException("no fraud to learn from in " + split + " (training " + train.frauds()
                    + ", of which on the validation days " + validation.frauds() + "): choose other dates");
        }
        if (test.size() == 0) {
            throw new DataFileException("no transaction left to test on in " + split);
        }

        ModelSelection.SelectedGbdt gbdt = ModelSelection.gbdt(train, innerTrain, validation, gbdtGrid(options.seed()),
                progress);
        try (GbdtModel booster = gbdt.model()) {
            ModelSelection.SelectedLogisticRegression baseline = ModelSelection.logisticRegression(train, innerTrain,
                    validation, LOGISTIC_REGRESSION_C, progress);
            float[] gbdtScores = booster.predict(test.features());
            float[] baselineScores = baseline.model().predict(test.features());
            TestEvaluation gbdtTest = TestEvaluation.of(test, gbdtScores);
            TestEvaluation baselineTest = TestEvaluation.of(test, baselineScores);

            byte[] onnx = booster.toOnnx();
            double onnxDifference = onnxDifference(onnx, test.features(), gbdtScores);
            progress.accept(String.format("ONNX Runtime scores the %,d test rows as XGBoost does (largest difference "
                    + "%.2e)", test.size(), onnxDifference));

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("data", ordered("file", options.data().toAbsolutePath().toString(), "sha256", log.sha256(),
                    "transactions", log.size(), "first_day", log.firstDay().toString(),
                    "last_day", log.lastDay().toString()));
            result.put("split", splitJson(split, inner));
            result.put("feature_view", ordered("name", TransactionHistoryFeatures.VIEW.name(),
                    "version", TransactionHistoryFeatures.VIEW.version(), "features", TransactionHistoryFeatures.NAMES));
            result.put("train_rows", train.size());
            result.put("train_frauds", train.frauds());
            result.put("test_rows", test.size());
            result.put("test_frauds", test.frauds());
            result.put("test_rows_removed_known_compromised", testDays.size() - test.size());
            result.put("auc_roc", finite(gbdtTest.aucRoc()));
            result.put("average_precision", finite(gbdtTest.averagePrecision()));
            result.put("card_precision_at_100", finite(gbdtTest.cardPrecisionAt100()));
            // What a model that knew the labels would get: the test days' compromised cards, capped by 100 a day.
            result.put("card_precision_at_100_perfect", finite(CardPrecision.atK(test, test.labels(),
                    TestEvaluation.CARDS_CHECKED_PER_DAY)));
            Optional<OperatingPoint> operating = gbdtTest.atPrecision(options.minPrecision());
            result.put("min_precision", options.minPrecision());
            result.put("threshold", operating.map(OperatingPoint::threshold).orElse(null));
            result.put("precision", operating.map(OperatingPoint::precision).orElse(null));
            result.put("recall", operating.map(OperatingPoint::recall).orElse(null));
            result.put("recall_at_precision_99", gbdtTest.atPrecision(BAR_PRECISION).map(OperatingPoint::recall)
                    .orElse(0.0));
            result.put("precision_at_recall_95", gbdtTest.atRecall(BAR_RECALL).map(OperatingPoint::precision)
                    .orElse(null));
            result.put("gbdt", gbdtJson(gbdt));
            result.put("baseline", baselineJson(baseline, baselineTest));
            result.put("published", publishedJson());
            result.put("onnx_max_abs_difference", onnxDifference);

            Path out = options.out();
            Map<String, String> charts = writeFiles(out, split, gbdtTest, baselineTest, onnx);
            result.put("charts", charts);
            result.put("out", out.toAbsolutePath().toString());
            result.put("model", options.register()
                    ? register(options, registry.get(), log, split, gbdt, result, onnx, progress) : null);
            try {
                Files.writeString(out.resolve("result.json"), JSON_FILE.writeValueAsString(result) + "\n");
            } catch (IOException e) {
                throw new DataFileException("cannot write " + out.resolve("result.json") + ": " + e.getMessage(), e);
            }
            return result;
        }
    }

    /**
     * The GBDT candidates: shallow to deep trees at rate 0.1, each stopped early on the validation days
     * (at most 400 rounds); rows and columns subsampled a little against over-fitting, as usual.
     * Fine histograms: XGBoost splits only at bin edges, and with its default 256 bins the amounts above
     * the 99.9th percentile share a bin or two, too coarse to find a threshold out there (such as the
     * simulator's "over 220 is fraud").
     */
    static List<GbdtParams> gbdtGrid(long seed) {
        GbdtParams base = GbdtParams.defaults()
                .withMaxRounds(400)
                .withLearningRate(0.1)
                .withEarlyStopping(40, EvalMetric.AUCPR)
                .withMaxBin(8192)
                .withSeed(seed)
                .withThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        return List.of(base.withMaxDepth(3), base.withMaxDepth(5), base.withMaxDepth(7));
    }

    private static double onnxDifference(byte[] onnx, float[][] rows, float[] expected) {
        try (OnnxPredictor predictor = OnnxPredictor.load(onnx, OnnxPredictorOptions.defaults())) {
            float[] actual = predictor.predict(rows);
            double largest = 0;
            for (int i = 0; i < rows.length; i++) {
                double difference = Math.abs(actual[i] - expected[i]);
                if (!(difference <= ONNX_TOLERANCE)) {
                    throw new OnnxMismatchException(String.format("the ONNX export scores test row %d %.8f, XGBoost "
                            + "%.8f: more than %.0e apart", i, actual[i], expected[i], ONNX_TOLERANCE));
                }
                largest = Math.max(largest, difference);
            }
            return largest;
        }
    }

    private static Map<String, String> writeFiles(Path out, TimeSplit split, TestEvaluation gbdt,
                                                  TestEvaluation baseline, byte[] onnx) {
        Map<String, BinaryClassificationMetrics> curves = new LinkedHashMap<>();
        curves.put("GBDT", gbdt.metrics());
        curves.put("logistic regression", baseline.metrics());
        Path pr = out.resolve("pr.png");
        Path roc = out.resolve("roc.png");
        String title = "test " + split.testStart() + " to " + split.testEnd().minusDays(1);
        try {
            Files.createDirectories(out);
            CurveCharts.precisionRecall(pr, "Precision-recall, " + title, curves);
            CurveCharts.roc(roc, "ROC, " + title, curves);
            Files.write(out.resolve("gbdt.onnx"), onnx);
        } catch (IOException e) {
            throw new DataFileException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put("pr", pr.toAbsolutePath().toString());
        charts.put("roc", roc.toAbsolutePath().toString());
        return charts;
    }

    private static Map<String, Object> register(Options options, CandidateSink registry,
                                                TransactionLog log, TimeSplit split,
                                                ModelSelection.SelectedGbdt gbdt, Map<String, Object> result,
                                                byte[] onnx, Consumer<String> progress) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String key : List.of("auc_roc", "average_precision", "card_precision_at_100", "threshold", "precision",
                "recall", "recall_at_precision_99", "precision_at_recall_95", "train_rows", "train_frauds",
                "test_rows", "test_frauds")) {
            if (result.get(key) instanceof Number number && Double.isFinite(number.doubleValue())) {
                metrics.put(key, number.doubleValue());
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> baseline = (Map<String, Object>) result.get("baseline");
        for (String key : List.of("auc_roc", "average_precision", "card_precision_at_100")) {
            if (baseline.get(key) instanceof Number number && Double.isFinite(number.doubleValue())) {
                metrics.put("baseline_" + key, number.doubleValue());
            }
        }
        Map<String, String> params = new LinkedHashMap<>(gbdt.params().describe());
        params.put("rounds", String.valueOf(gbdt.model().rounds()));
        params.put(ModelParams.FEATURE_NAMES, String.join(",", TransactionHistoryFeatures.NAMES));
        params.put("split.train", split.trainStart() + "/" + split.trainEnd());
        params.put("split.delay_days", String.valueOf(split.delayDays()));
        params.put("split.test", split.testStart() + "/" + split.testEnd());
        params.put("split.validation", split.validation().testStart() + "/" + split.validation().testEnd());
        params.put("label", "tx_fraud (any scenario; tx_fraud_scenario never read)");
        params.put("label_delay_days", String.valueOf(split.delayDays()));
        params.put("intended_stage", "candidate: serving does not compute the "
                + TransactionHistoryFeatures.VIEW.id() + " features yet");
        Lineage lineage = new Lineage(options.data().toAbsolutePath().toString(), log.sha256(),
                List.of(new FeatureViewRef(TransactionHistoryFeatures.VIEW.name(),
                        TransactionHistoryFeatures.VIEW.version())),
                CodeVersion.current("fraud-service"), params);
        ModelVersion registered;
        try {
            registered = registry.register(new ModelRegistration(options.modelName(), ModelFormat.ONNX, metrics,
                    lineage), onnx);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (RuntimeException e) {
            throw new RegistryException("cannot register the model in " + registry.where() + ": " + rootMessage(e), e);
        }
        progress.accept("registered " + registered.reference() + " in " + registry.where() + ", stage "
                + registered.stage() + " (a candidate: nothing serves it)");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", registered.name());
        model.put("version", registered.version());
        model.put("stage", registered.stage().name());
        model.put("artifact_sha256", registered.artifactSha256());
        return model;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static Map<String, Object> splitJson(TimeSplit split, TimeSplit inner) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("train", range(split.trainStart(), split.trainEnd()));
        json.put("delay_days", split.delayDays());
        json.put("test", range(split.testStart(), split.testEnd()));
        json.put("validation", range(inner.testStart(), inner.testEnd()));
        return json;
    }

    /** {@code from} and {@code to} both inclusive, as days are said. */
    private static Map<String, String> range(LocalDate from, LocalDate toExclusive) {
        Map<String, String> range = new LinkedHashMap<>();
        range.put("from", from.toString());
        range.put("to", toExclusive.minusDays(1).toString());
        return range;
    }

    private static Map<String, Object> gbdtJson(ModelSelection.SelectedGbdt gbdt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("max_depth", gbdt.params().maxDepth());
        json.put("learning_rate", gbdt.params().learningRate());
        json.put("min_child_weight", gbdt.params().minChildWeight());
        json.put("rounds", gbdt.model().rounds());
        json.put("selection", trialsJson(gbdt.trials()));
        return json;
    }

    private static Map<String, Object> baselineJson(ModelSelection.SelectedLogisticRegression baseline,
                                                    TestEvaluation test) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", "logistic_regression");
        json.put("c", baseline.c());
        json.put("auc_roc", finite(test.aucRoc()));
        json.put("average_precision", finite(test.averagePrecision()));
        json.put("card_precision_at_100", finite(test.cardPrecisionAt100()));
        json.put("recall_at_precision_99", test.atPrecision(BAR_PRECISION).map(OperatingPoint::recall).orElse(0.0));
        json.put("precision_at_recall_95", test.atRecall(BAR_RECALL).map(OperatingPoint::precision).orElse(null));
        json.put("selection", trialsJson(baseline.trials()));
        return json;
    }

    private static List<Map<String, Object>> trialsJson(List<ModelSelection.Trial> trials) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (ModelSelection.Trial trial : trials) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("candidate", trial.candidate());
            one.put("rounds", trial.rounds());
            one.put("validation_average_precision", finite(trial.averagePrecision()));
            one.put("validation_card_precision_at_100", finite(trial.cardPrecisionAt100()));
            json.add(one);
        }
        return json;
    }

    private static Map<String, Object> publishedJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        PUBLISHED.forEach((model, figures) -> json.put(model, ordered("auc_roc", figures[0], "average_precision",
                figures[1], "card_precision_at_100", figures[2])));
        return json;
    }

    private static Map<String, double[]> publishedFigures() {
        Map<String, double[]> figures = new LinkedHashMap<>();
        figures.put("xgboost", new double[] {0.872, 0.687, 0.303});
        figures.put("random_forest", new double[] {0.870, 0.678, 0.299});
        figures.put("logistic_regression", new double[] {0.868, 0.623, 0.297});
        return figures;
    }

    /** A JSON object with its keys in the order given: key, value, key, value, ... */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** JSON has no NaN: an undefined figure is null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The result as a table and a few lines. */
    @SuppressWarnings("unchecked")
    static List<String> describe(Map<String, Object> result) {
        Map<String, Object> split = (Map<String, Object>) result.get("split");
        Map<String, String> train = (Map<String, String>) split.get("train");
        Map<String, String> test = (Map<String, String>) split.get("test");
        Map<String, Object> gbdt = (Map<String, Object>) result.get("gbdt");
        Map<String, Object> baseline = (Map<String, Object>) result.get("baseline");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Train %s to %s: %,d transactions, %,d fraud. Delay %s days. Test %s to %s: %,d "
                        + "transactions, %,d fraud (%,d transactions of customers already known compromised left out).",
                train.get("from"),
                train.get("to"), result.get("train_rows"), result.get("train_frauds"), split.get("delay_days"),
                test.get("from"), test.get("to"), result.get("test_rows"), result.get("test_frauds"),
                result.get("test_rows_removed_known_compromised")));
        lines.add("");
        String row = "  %-44s %8s %18s %19s";
        lines.add(String.format(row, "on the test days", "AUC ROC", "Average precision", "Card precision@100"));
        lines.add(String.format(row, String.format("GBDT (depth %s, eta %s, %s rounds)", gbdt.get("max_depth"),
                        gbdt.get("learning_rate"), gbdt.get("rounds")), figure(result.get("auc_roc")),
                figure(result.get("average_precision")), figure(result.get("card_precision_at_100"))));
        lines.add(String.format(row, "logistic regression (C=" + baseline.get("c") + ")", figure(baseline.get("auc_roc")),
                figure(baseline.get("average_precision")), figure(baseline.get("card_precision_at_100"))));
        PUBLISHED.forEach((model, figures) -> lines.add(String.format(row, "handbook, published: "
                + model.replace('_', ' '), figure(figures[0]), figure(figures[1]), figure(figures[2]))));
        lines.add(String.format("  (a perfect ranking would reach a card precision@100 of %s on these days)",
                figure(result.get("card_precision_at_100_perfect"))));
        lines.add("");
        Object threshold = result.get("threshold");
        lines.add(threshold == null
                ? String.format("Operating point: no threshold reaches precision %s.", result.get("min_precision"))
                : String.format("On the test days' curve, the highest recall at precision >= %s: threshold %.4f, "
                + "precision %.3f, recall %.3f.",
                result.get("min_precision"), threshold, result.get("precision"), result.get("recall")));
        Object precisionAtRecall = result.get("precision_at_recall_95");
        lines.add(String.format("The seed's bar: recall at precision >= 0.99 is %.3f; precision at recall >= 0.95 is "
                + "%s.", result.get("recall_at_precision_99"), precisionAtRecall == null ? "undefined"
                : String.format("%.3f", precisionAtRecall)));
        lines.add(String.format("ONNX Runtime scores the test rows as XGBoost does (largest difference %.2e).",
                result.get("onnx_max_abs_difference")));
        Map<String, String> charts = (Map<String, String>) result.get("charts");
        lines.add("Charts: " + charts.get("pr") + ", " + charts.get("roc"));
        lines.add("Results: " + result.get("out"));
        Map<String, Object> model = (Map<String, Object>) result.get("model");
        lines.add(model == null ? "Not registered (--no-register)."
                : String.format("Registered %s:%s, stage %s: a candidate, nothing serves it until it is promoted.",
                model.get("name"), model.get("version"), model.get("stage")));
        return lines;
    }

    private static String figure(Object value) {
        return value instanceof Number number ? String.format("%.3f", number.doubleValue()) : "n/a";
    }
}
