package dev.mlplatform.bench;

import dev.mlplatform.core.cli.CommandOptions;
import dev.mlplatform.core.registry.ModelVersion;
import dev.mlplatform.featurestore.definitions.RecsysFeatures;
import dev.mlplatform.recsys.retrieval.HnswItemIndex;
import dev.mlplatform.simulators.recsys.InteractionSimulator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The entry point of {@code ./platform demo} and {@code ./platform bench rest|kafka|burst|ann|recs-load|recs}. Human output
 * with progress on the console; with {@code --json}, progress goes to stderr and stdout carries one
 * JSON object. A mistake or a platform that is not up ends with one line saying what to do.
 */
public final class BenchCli {

    static final String USAGE = """
            usage: ./platform demo [--rate TX_PER_S] [--duration D] [--lines-per-second N] [--json]
                   ./platform bench rest [--rate REQ_PER_S] [--duration D] [--warmup D] [--connections N] [--timeout D]
                                         [--max-queued N] [--customers N] [--json]
                   ./platform bench kafka [--count N] [--rate TX_PER_S] [--idle-timeout D] [--customers N] [--json]
                   ./platform bench burst [--rate TX_PER_S] [--burst-factor F] [--before D] [--burst D] [--after D] [--json]
                   ./platform bench recs-load [--users N] [--items N] [--candidates N] [--seed N] [--retrieval-only] [--json]
                   ./platform bench recs [--rate REQ_PER_S] [--duration D] [--warmup D] [--connections N] [--timeout D]
                                         [--max-queued N] [--users N] [--k K] [--seed N] [--json]
                   ./platform bench ann [--items N] [--dim D] [--queries N] [--k K] [--m M] [--beam-width N]
                                        [--search-breadth N] [--threads N] [--vectors FILE] [--seed N] [--json]
              durations: 30 or 30s, 500ms, 2m
              demo        simulated traffic through the gateway and Kafka, decisions live, then a summary
                          (defaults: --rate 50 --duration 30s)
              bench rest  open-loop constant-rate load through the gateway on a fixed number of connections;
                          latency from each request's intended send time (corrected for coordinated omission),
                          warm-up excluded (defaults: --rate 1000 --duration 60s --warmup 30s --connections 64)
              bench kafka produce N transactions (as fast as possible, or --rate) and measure decisions on
                          fraud.decisions.v1: rate and end-to-end latency (default: --count 100000)
              bench burst the Kafka path at a base rate, F times it for a while, the base rate again: nothing may
                          be lost; how long the backlog takes to drain and p99 to recover (defaults: --rate 500
                          --burst-factor 10 --before 20s --burst 10s --after 90s)
              bench ann   approximate (Lucene HNSW) against exact top-k by inner product over item vectors, no
                          platform needed: build time, index memory, recall@k, queries/s of both on one thread and on
                          all cores; synthetic clustered vectors, or an item-vectors artifact (--vectors) whose own
                          vectors are the queries (defaults: --items 100000 --dim 64 --queries 1000 --k 10 --m 16
                          --beam-width 100 --search-breadth 100)
              bench recs-load
                          a synthetic catalogue and population of the project's generator into the running platform:
                          the items through the gateway's PUT (ids s-1, s-2, ...: the demo's are kept), and per user
                          user_recent:v1 from their latest interactions and user_candidates:v1 written to Redis;
                          the candidates are the generator's oracle lists (top items by its own weights, history
                          excluded) standing in for the nightly Spark job's, a cluster job at this scale, and the
                          generator's item vectors as recs-two-tower; time per stage and Redis memory (defaults:
                          --users 1000000 --items 100000 --candidates 100 --seed 7); --retrieval-only registers the
                          vectors again, after a nightly run replaced them
              bench recs  bench rest's open loop on GET /api/recs/v1/users/{userId}/recommendations?k=K for users
                          drawn at random from the --users recs-load loaded (defaults: --rate 200 --duration 60s
                          --warmup 30s --connections 32 --users 1000000 --k 10)
              --customers   simulated cards (default 20000 for bench, 5000 for demo)
              results (JSON summary, .hgrm percentiles, PNG chart) go to bench/results/""";

    private BenchCli() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int status;
        String failure = null;
        try {
            status = run(Arrays.asList(args), Path.of(System.getProperty("platform.home", ".")).toAbsolutePath(),
                    System.getenv());
        } catch (CommandOptions.UsageException e) {
            failure = e.getMessage();
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (Platform.NotRunningException e) {
            failure = e.getMessage();
            System.err.println("error: " + e.getMessage());
            status = 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            System.err.println("error: " + failure);
            System.err.println("(details in .platform/logs/bench.log)");
            org.slf4j.LoggerFactory.getLogger(BenchCli.class).error("bench failed", e);
            status = 1;
        }
        if (status != 0 && status != 130 && Arrays.asList(args).contains("--json") && failure != null) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("status", "failed");
            failed.put("error", failure);
            System.out.println(ResultFiles.JSON_LINE.writeValueAsString(failed));
        }
        System.exit(status);
    }

    static int run(List<String> args, Path home, Map<String, String> env) throws Exception {
        if (args.isEmpty() || Set.of("help", "--help", "-h").contains(args.get(0))) {
            System.out.println(USAGE);
            return 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        Platform platform = Platform.fromEnvironment(home, env);
        Path results = home.resolve("bench").resolve("results");
        Clock clock = Clock.systemUTC();
        return switch (command) {
            case "demo" -> demo(platform, rest, clock);
            case "rest" -> rest(platform, rest, clock, results);
            case "recs-load" -> recsLoad(platform, rest, env, clock);
            case "recs" -> recs(platform, rest, clock, results);
            case "kafka" -> kafka(platform, rest, clock, results);
            case "burst" -> burst(platform, rest, clock, results);
            case "ann" -> ann(rest);
            default -> throw new CommandOptions.UsageException("unknown command '" + command + "'");
        };
    }

    private static int demo(Platform platform, List<String> args, Clock clock) throws InterruptedException {
        CommandOptions o = CommandOptions.parse(args, Set.of("rate", "duration", "lines-per-second", "seed"), Set.of("json"));
        boolean json = o.flag("json");
        PrintStream human = json ? System.err : System.out;
        platform.requireRunning(true, true);
        Demo.Config config = new Demo.Config(o.positiveLong("rate", 50), o.duration("duration", Duration.ofSeconds(30)),
                o.positiveLong("lines-per-second", 4), Duration.ofSeconds(15), o.positiveLong("seed", 42));
        Demo.Summary summary = new Demo(platform, config, human, clock).run();
        Demo.describe(summary).forEach(human::println);
        if (json) {
            System.out.println(ResultFiles.JSON_LINE.writeValueAsString(summary));
        }
        long decided = summary.rest().decided() + summary.kafka().decided();
        return decided > 0 ? 0 : 1;
    }

    private static int rest(Platform platform, List<String> args, Clock clock, Path results) throws Exception {
        CommandOptions o = CommandOptions.parse(args, Set.of("rate", "duration", "warmup", "timeout", "connections", "max-queued",
                "customers", "seed"), Set.of("json"));
        RestBench.Config config = openLoopConfig(o, 1000, 64);
        int customers = (int) o.positiveLong("customers", 20_000);
        platform.requireRunning(true, false);
        String runId = Traffic.newRunId("bench", clock.instant());
        try (Traffic traffic = new Traffic(runId, o.positiveLong("seed", 7), clock, customers)) {
            return openLoop("rest", platform, config, runId, new ScoreRequests(traffic), Map.of("customers", customers),
                    o.flag("json"), clock, results);
        }
    }

    private static int recsLoad(Platform platform, List<String> args, Map<String, String> env, Clock clock)
            throws Exception {
        CommandOptions o = CommandOptions.parse(args, Set.of("users", "items", "candidates", "seed"),
                Set.of("json", "retrieval-only"));
        boolean json = o.flag("json");
        PrintStream human = json ? System.err : System.out;
        RecsLoad.Config config = new RecsLoad.Config((int) o.positiveLong("users", 1_000_000),
                (int) o.positiveLong("items", 100_000), (int) o.positiveLong("candidates", 100), o.positiveLong("seed", 7));
        if (config.candidates() > RecsysFeatures.CANDIDATES) {
            throw new CommandOptions.UsageException("--candidates: at most " + RecsysFeatures.CANDIDATES
                    + ", what user_candidates:v1 holds");
        }
        try {
            config.simulation();
        } catch (IllegalArgumentException e) {
            throw new CommandOptions.UsageException("--items must be more than " + RecsLoad.MIN_PER_USER
                    + ", the fewest interactions of a user: " + e.getMessage());
        }
        platform.requireRunning(true, false);
        if (o.flag("retrieval-only")) {
            ModelVersion version = GeneratorRetrievalModel.register(platform.modelRegistry(env),
                    GeneratorRetrievalModel.of(new InteractionSimulator(config.simulation())), config.seed());
            human.printf("recs-load: %s registered and promoted: the generator's item vectors of %,d items (seed %d)%n",
                    version.reference(), config.items(), config.seed());
            return 0;
        }
        RecsLoad.Result r = new RecsLoad(platform, RecsLoad.redisUri(env), platform.modelRegistry(env), config, human,
                clock).run();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("benchmark", "recs-load");
            summary.put("users", r.users());
            summary.put("items", r.items());
            summary.put("interactions", r.interactions());
            summary.put("candidatesPerUser", config.candidates());
            summary.put("candidateModel", RecsLoad.ORACLE_MODEL);
            summary.put("note", RecsLoad.ORACLE_NOTE);
            summary.put("seed", config.seed());
            summary.put("catalogueSeconds", round(r.catalogueSeconds()));
            summary.put("putSeconds", round(r.putSeconds()));
            summary.put("itemsPutPerSecond", round(r.itemsPutPerSecond()));
            summary.put("usersSeconds", round(r.usersSeconds()));
            summary.put("usersPerSecond", round(r.usersPerSecond()));
            summary.put("redisWaitSeconds", round(r.redisWaitSeconds()));
            summary.put("rowsApplied", r.rowsApplied());
            summary.put("redisUsedMemoryBefore", r.redisBytesBefore());
            summary.put("redisUsedMemoryAfter", r.redisBytesAfter());
            summary.put("redisBytesPerUser", r.redisBytesPerUser());
            System.out.println(ResultFiles.JSON_LINE.writeValueAsString(summary));
        }
        return 0;
    }

    private static int recs(Platform platform, List<String> args, Clock clock, Path results) throws Exception {
        CommandOptions o = CommandOptions.parse(args, Set.of("rate", "duration", "warmup", "timeout", "connections", "max-queued",
                "users", "k", "seed"), Set.of("json"));
        RestBench.Config config = openLoopConfig(o, 200, 32);
        int users = (int) o.positiveLong("users", 1_000_000);
        int k = (int) o.positiveLong("k", 10);
        platform.requireRunning(true, false);
        String models = RecommendationRequests.requireLoaded(platform, users, k);
        (o.flag("json") ? System.err : System.out).printf("Users s-1 .. %s are loaded; their lists name the models %s "
                + "(%s: %s)%n", RecsLoad.userId(users - 1), models, RecsLoad.ORACLE_MODEL, RecsLoad.ORACLE_NOTE);
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("users", users);
        workload.put("k", k);
        workload.put("candidateModel", RecsLoad.ORACLE_MODEL);
        return openLoop("recs", platform, config, Traffic.newRunId("recs", clock.instant()),
                new RecommendationRequests(users, k, o.positiveLong("seed", 7)), workload, o.flag("json"), clock, results);
    }

    /** The open loop's options, the same for every REST benchmark but for the default rate and connections. */
    private static RestBench.Config openLoopConfig(CommandOptions o, long rate, long connections) {
        RestBench.Config config = new RestBench.Config(o.positiveLong("rate", rate),
                o.duration("duration", Duration.ofSeconds(60)), o.duration("warmup", Duration.ofSeconds(30)),
                o.duration("timeout", Duration.ofSeconds(10)), (int) o.positiveLong("connections", connections),
                (int) o.positiveLong("max-queued", 100_000));
        if (config.duration().isZero()) {
            throw new CommandOptions.UsageException("--duration must be greater than 0");
        }
        return config;
    }

    /**
     * Runs {@code requests} open loop through the gateway, writes the results (JSON, .hgrm, PNG) and reports them.
     *
     * @param workload what the requests are drawn from, for the summary (simulated cards, users)
     */
    private static int openLoop(String benchmark, Platform platform, RestBench.Config config, String runId,
                                RequestSource requests, Map<String, Object> workload, boolean json, Clock clock,
                                Path results) throws Exception {
        PrintStream human = json ? System.err : System.out;
        RestBench.Result r = new RestBench(platform, config, human).run(runId, requests);
        String endpoint = RestBench.endpoint(platform, requests.target());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("benchmark", benchmark);
        summary.put("runId", r.runId());
        summary.put("method", requests.method());
        summary.put("endpoint", endpoint);
        summary.put("targetRatePerSecond", r.targetRate());
        summary.put("durationSeconds", r.durationSeconds());
        summary.put("warmupSeconds", config.warmup().toNanos() / 1e9);
        summary.put("connections", config.connections());
        summary.putAll(workload);
        summary.put("sent", r.sent());
        summary.put("ok", r.ok());
        summary.put("achievedPerSecond", round(r.achievedPerSecond()));
        summary.put("errors", r.errors());
        summary.put("latencyMs", r.latency());
        summary.put("uncorrectedLatencyMs", r.uncorrected());
        String name = benchmark + "-" + stamp(clock);
        Map<String, Histogram> charts = new LinkedHashMap<>();
        charts.put("from intended send time (corrected)", r.histogram());
        charts.put("from actual send time (uncorrected)", r.uncorrectedHistogram());
        Path png = new ResultFiles(results).write(name, summary, String.format(
                "%s %s: %,.0f requests/s for %.0f s", requests.method(), endpoint, r.targetRate(),
                r.durationSeconds()), charts);
        summary.put("chart", png.toString());

        human.printf("%nREST, %s %s, %,.0f requests/s target, %.0f s measured after %.0f s warm-up:%n",
                requests.method(), endpoint, r.targetRate(), r.durationSeconds(), config.warmup().toNanos() / 1e9);
        human.printf("  throughput  %,.1f ok/s  (%,d sent, %,d ok)%n", r.achievedPerSecond(), r.sent(), r.ok());
        human.printf("  latency     %s%n", r.latency().describe());
        human.printf("  uncorrected %s%n", r.uncorrected().describe());
        human.printf("  errors      %s%n", r.errors().isEmpty() ? "none" : r.errors());
        human.printf("  results     %s (.json, .hgrm)%n", png);
        if (json) {
            System.out.println(ResultFiles.JSON_LINE.writeValueAsString(summary));
        }
        return r.ok() > 0 ? 0 : 1;
    }

    private static int kafka(Platform platform, List<String> args, Clock clock, Path results) throws Exception {
        CommandOptions o = CommandOptions.parse(args, Set.of("count", "rate", "idle-timeout", "customers", "seed"), Set.of("json"));
        KafkaBench.Config config = new KafkaBench.Config(o.positiveLong("count", 100_000),
                o.string("rate", null) == null ? 0 : o.positiveLong("rate", 1),
                o.duration("idle-timeout", Duration.ofSeconds(30)), o.positiveLong("seed", 11),
                (int) o.positiveLong("customers", 20_000));
        return kafka(platform, config, o.flag("json"), clock, results);
    }

    private static int burst(Platform platform, List<String> args, Clock clock, Path results) throws Exception {
        CommandOptions o = CommandOptions.parse(args, Set.of("rate", "burst-factor", "before", "burst", "after", "idle-timeout",
                "customers", "seed"), Set.of("json"));
        KafkaBench.Burst burst = new KafkaBench.Burst(o.positiveLong("burst-factor", 10),
                o.duration("before", Duration.ofSeconds(20)), o.duration("burst", Duration.ofSeconds(10)),
                o.duration("after", Duration.ofSeconds(90)));
        KafkaBench.Config config = KafkaBench.Config.burst(o.positiveLong("rate", 500), burst,
                o.duration("idle-timeout", Duration.ofSeconds(30)), o.positiveLong("seed", 13),
                (int) o.positiveLong("customers", 20_000));
        return kafka(platform, config, o.flag("json"), clock, results);
    }

    private static int ann(List<String> args) throws Exception {
        CommandOptions o = CommandOptions.parse(args, Set.of("items", "dim", "queries", "k", "m", "beam-width",
                "search-breadth", "threads", "vectors", "seed"), Set.of("json"));
        boolean json = o.flag("json");
        PrintStream human = json ? System.err : System.out;
        Path vectors = o.has("vectors") ? Path.of(o.required("vectors")) : null;
        if (vectors != null && !Files.isRegularFile(vectors)) {
            throw new CommandOptions.UsageException("--vectors: no such file: " + vectors);
        }
        AnnBench.Config config = new AnnBench.Config((int) o.positiveLong("items", 100_000), (int) o.positiveLong("dim", 64),
                (int) o.positiveLong("queries", 1000), (int) o.positiveLong("k", 10), o.positiveLong("seed", 42),
                new HnswItemIndex.Settings((int) o.positiveLong("m", 16), (int) o.positiveLong("beam-width", 100),
                        (int) o.positiveLong("search-breadth", 100)),
                vectors, (int) o.positiveLong("threads", Runtime.getRuntime().availableProcessors()));
        AnnBench.Result r = new AnnBench(config, human).run();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("benchmark", "ann");
            summary.put("vectors", vectors == null ? "synthetic" : vectors.toString());
            summary.put("items", r.items());
            summary.put("dimension", r.dimension());
            summary.put("queries", r.queries());
            summary.put("k", r.k());
            summary.put("settings", config.settings());
            summary.put("buildSeconds", round(r.buildSeconds()));
            summary.put("indexBytes", r.indexBytes());
            summary.put("rawVectorBytes", r.rawVectorBytes());
            summary.put("recall", r.recall());
            summary.put("threads", r.threads());
            summary.put("hnswQueriesPerSecond", r.hnsw());
            summary.put("exactQueriesPerSecond", r.exact());
            System.out.println(ResultFiles.JSON_LINE.writeValueAsString(summary));
        }
        return 0;
    }

    private static int kafka(Platform platform, KafkaBench.Config config, boolean json, Clock clock, Path results)
            throws Exception {
        PrintStream human = json ? System.err : System.out;
        platform.requireRunning(false, true);
        KafkaBench.Result r = new KafkaBench(platform, config, human, clock).run();

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("benchmark", config.burst() == null ? "kafka" : "burst");
        summary.put("runId", r.runId());
        summary.put("topics", List.of(Platform.TRANSACTIONS_TOPIC, Platform.DECISIONS_TOPIC));
        summary.put("count", r.count());
        summary.put("customers", config.customers());
        summary.put("targetRatePerSecond", r.targetRate() > 0 ? r.targetRate() : "max");
        summary.put("produced", r.produced());
        summary.put("produceErrors", r.produceErrors());
        summary.put("producedPerSecond", round(r.producedPerSecond()));
        summary.put("decided", r.decided());
        summary.put("missing", r.missing());
        summary.put("duplicates", r.duplicates());
        summary.put("decisions", r.decisions());
        summary.put("decidedPerSecond", round(r.decidedPerSecond()));
        summary.put("peakDecidedPerSecond", r.peakDecidedPerSecond());
        summary.put("serviceCpuSeconds", r.serviceCpuSeconds());
        summary.put("decisionsPerServiceCpuSecond", r.decisionsPerCpuSecond() == null ? null : round(r.decisionsPerCpuSecond()));
        summary.put("endToEndLatencyMs", r.latency());
        if (config.burst() != null) {
            summary.put("burst", Map.of("factor", config.burst().factor(),
                    "startSecond", config.burst().startSecond(), "endSecond", config.burst().endSecond()));
            summary.put("recovery", r.burst());
        }
        summary.put("seconds", r.seconds());
        String name = (config.burst() == null ? "kafka-" : "burst-") + stamp(clock);
        ResultFiles files = new ResultFiles(results);
        Path png = files.write(name, summary, String.format(
                "Kafka path: %,d transactions, send to decision event", r.count()),
                HistogramChart.of("send to decision", r.histogram()));
        summary.put("chart", png.toString());
        if (config.burst() != null) {
            Path timeline = results.resolve(name + "-timeline.png");
            TimelineChart.write(timeline, String.format("%.0f× the rate for %d s: p99 per send second, backlog",
                    config.burst().factor(), config.burst().during().toSeconds()), r.seconds(), config.burst());
            summary.put("timeline", timeline.toString());
        }

        human.printf("%nKafka path, %,d transactions %s:%n", r.count(),
                r.targetRate() > 0 ? String.format("at %,.0f/s", r.targetRate()) : "as fast as possible");
        human.printf("  produced    %,d (%,.0f/s), %,d errors%n", r.produced(), r.producedPerSecond(), r.produceErrors());
        human.printf("  decided     %,d (%,.0f/s overall, peak %,d/s), missing %,d, duplicates %,d%n", r.decided(),
                r.decidedPerSecond(), r.peakDecidedPerSecond(), r.missing(), r.duplicates());
        human.printf("  decisions   %s%n", r.decisions());
        if (r.decisionsPerCpuSecond() != null) {
            human.printf("  service CPU %.1f s: %,.0f decisions per CPU-second (per core)%n", r.serviceCpuSeconds(),
                    r.decisionsPerCpuSecond());
        }
        human.printf("  end to end  %s%n", r.latency().describe());
        if (r.burst() != null) {
            KafkaBench.BurstRecovery b = r.burst();
            human.printf("  burst       %.0f× the rate from second %d to %d: peak backlog %,d; drained %s after it; "
                            + "p99 back within its pre-burst %s for %d s in a row %s after it%n", config.burst().factor(),
                    config.burst().startSecond(), config.burst().endSecond(), b.peakBacklog(),
                    b.drainedAfterSeconds() == null ? "never (within the run)" : b.drainedAfterSeconds() + " s",
                    LatencySummary.format(b.baselineP99Ms()), KafkaBench.STEADY_SECONDS,
                    b.p99RecoveredAfterSeconds() == null ? "never (within the run)" : b.p99RecoveredAfterSeconds() + " s");
            human.printf("  timeline    %s%n", summary.get("timeline"));
        }
        human.printf("  results     %s (.json, .hgrm)%n", png);
        if (json) {
            System.out.println(ResultFiles.JSON_LINE.writeValueAsString(summary));
        }
        return r.decided() > 0 ? 0 : 1;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String stamp(Clock clock) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
    }
}
