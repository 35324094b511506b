package dev.mlplatform.local;

import dev.mlplatform.core.db.Databases;
import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.jobs.fraud.FraudBatchFeatures;
import dev.mlplatform.jobs.fraud.FraudFeatureJob;
import dev.mlplatform.jobs.recsys.RecsysFeatureJob;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./platform up}: checks what the platform needs, then starts it in this order, one line per
 * component as it becomes ready: the {@code mlplatform} database, Kafka (in this JVM, port 9092), the
 * Flink feature job (MiniCluster in this JVM), fraud-service and the gateway (each a process of its
 * own), and ends with the ready line naming the gateway and the development API key. It then runs in
 * the foreground until Ctrl-C or {@code ./platform down} (SIGTERM), which stop everything it started.
 */
public final class PlatformLauncher {

    private static final Logger log = LoggerFactory.getLogger(PlatformLauncher.class);
    static final String MAIN_CLASS = PlatformLauncher.class.getName();
    /**
     * The gateway's buffers skip Netty's per-access reference-count and bounds checks, which are a sizable share
     * of its CPU per proxied request; they guard against Netty misuse, which the gateway's tests would show.
     */
    private static final List<String> NETTY_FAST_BUFFERS = List.of("-Dio.netty.buffer.checkAccessible=false",
            "-Dio.netty.buffer.checkBounds=false");

    private final PlatformConfig config;
    private final Console console;
    private final RunningStack stack;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Map<String, Object>> components = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();

    PlatformLauncher(PlatformConfig config, Console console) {
        this.config = config;
        this.console = console;
        this.stack = new RunningStack(console);
    }

    public static void main(String[] args) {
        List<String> arguments = List.of(args);
        boolean json = arguments.contains("--json");
        String command = arguments.stream().filter(a -> !a.startsWith("--")).findFirst().orElse("up");
        PrintStream human = json ? System.err : System.out;
        if (!command.equals("up")) {
            human.println("error: unknown command '" + command + "' (the launcher knows: up)");
            System.exit(2);
        }
        Path home = Path.of(System.getProperty("platform.home", ".")).toAbsolutePath().normalize();
        int status;
        try {
            PlatformConfig config = PlatformConfig.fromEnvironment(home, System.getenv());
            status = new PlatformLauncher(config, new Console(human)).up(json);
        } catch (LaunchException e) {
            human.println("error: " + e.getMessage());
            if (json) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("status", "failed");
                failed.put("error", e.getMessage());
                System.out.println(toJson(failed));
            }
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        } catch (RuntimeException e) {
            log.error("./platform up failed", e);
            human.println("error: " + FlinkJobs.rootMessage(e) + " (details in .platform/logs/platform.log)");
            status = 1;
        }
        System.exit(status);
    }

    /** Starts everything and blocks until the platform is stopped; returns the exit status. */
    int up(boolean json) throws InterruptedException {
        long started = System.nanoTime();
        refuseIfRunning();
        List<Prerequisites.Problem> problems = new Prerequisites(new PortOwners()).check(config);
        if (!problems.isEmpty()) {
            throw new LaunchException(problems.size() == 1 ? problems.get(0).message()
                    : "the platform cannot start:\n  - " + String.join("\n  - ",
                    problems.stream().map(Prerequisites.Problem::message).toList()));
        }
        Path fraudJar = requireJar("fraud-service");
        Path recsysJar = requireJar("recsys-service");
        Path gatewayJar = requireJar("gateway");
        prepareStateDirectory();
        fraudJar = runnableCopy(fraudJar);
        recsysJar = runnableCopy(recsysJar);
        gatewayJar = runnableCopy(gatewayJar);

        Thread hook = new Thread(this::shutdown, "platform-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        console.info("Starting the ML platform (state and logs in " + relative(config.stateDir()) + ")");
        try {
            long t = System.nanoTime();
            Databases.createIfMissing(config.dbHost(), config.dbPort(), config.dbUser(), config.dbPassword(), config.dbName());
            report("Postgres", config.dbHost() + ":" + config.dbPort() + ", database " + config.dbName(), t,
                    Map.of("url", config.jdbcUrl()));
            report("Redis", config.redisHost() + ":" + config.redisPort() + " answers PING", System.nanoTime(),
                    Map.of("url", config.redisUrl()));

            t = System.nanoTime();
            KafkaBroker kafka = KafkaBroker.start(PlatformConfig.KAFKA_HOST, config.kafkaPort(), config.kafkaDir());
            stack.add("Kafka", kafka::close);
            report("Kafka", kafka.bootstrapServers() + ", " + KafkaBroker.TOPICS.size() + " topics x "
                    + KafkaBroker.PARTITIONS + " partitions", t,
                    Map.of("bootstrapServers", kafka.bootstrapServers(), "topics", KafkaBroker.TOPICS));

            t = System.nanoTime();
            FeatureStoreConnection featureStore = new FeatureStoreConnection(config.redisUrl(), config.jdbcUrl(),
                    config.dbUser(), config.dbPassword());
            Path lake = config.stateDir().resolve("lake");
            FlinkJobs flink = FlinkJobs.start(config.flinkRestPort(), config.flinkDir().resolve("checkpoints"),
                    FlinkJobs.fraudFeaturesConfig(kafka.bootstrapServers(), featureStore),
                    FlinkJobs.recsysFeaturesConfig(kafka.bootstrapServers(), featureStore, lake), Duration.ofMinutes(2));
            stack.add("Flink", flink::close);
            report("Flink", FraudFeatureJob.JOB_NAME + " job running (" + FraudFeatureJob.VIEWS.size()
                    + " feature views, parallelism " + FlinkJobs.PARALLELISM + "), REST " + flink.restUrl(), t,
                    Map.of("rest", flink.restUrl(), "job", flink.fraudFeaturesJobId().toString()));
            report("Flink", RecsysFeatureJob.JOB_NAME + " job running (" + RecsysFeatureJob.VIEWS.size()
                    + " feature views, lake " + relative(lake) + ", parallelism " + FlinkJobs.PARALLELISM + ")", t,
                    Map.of("job", flink.recsysFeaturesJobId().toString(), "lake", lake.toString()));
            ScheduledExecutorService batch = FraudBatchFeatures.scheduleDaily(featureStore, Clock.systemUTC());
            stack.add("fraud batch features", batch::shutdownNow);

            startServices(fraudJar, recsysJar, gatewayJar, kafka.bootstrapServers());
            loadRecsysDemoData(kafka.bootstrapServers(), lake);
            RecsysNightly nightly = new RecsysNightly(config, console, Clock.systemUTC());
            stack.add("recs nightly", nightly::close);
            nightly.schedule(lake);
        } catch (LaunchException e) {
            if (stack.isStopping()) {
                return 130;
            }
            console.info("error: " + e.getMessage());
            console.info("Stopping what was started ...");
            stack.stopAll(true);
            removeStateFiles();
            throw new LaunchException("the platform did not start (see above)");
        }

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        console.info("");
        console.info("Platform ready in " + Console.seconds(took) + ": gateway " + config.gatewayUrl()
                + "  X-API-Key: " + config.apiKey());
        console.info("  try  curl -s -H 'X-API-Key: " + config.apiKey() + "' -H 'Content-Type: application/json' "
                + config.gatewayUrl() + "/api/fraud/v1/score -d @docs/examples/transaction.json");
        console.info("  or   ./platform demo      Ctrl-C or ./platform down stops everything.");
        if (json) {
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("status", "ready");
            ready.put("gateway", config.gatewayUrl());
            ready.put("apiKey", config.apiKey());
            ready.put("seconds", took.toMillis() / 1000.0);
            ready.put("components", components);
            System.out.println(toJson(ready));
        }
        watchServices();
        stopped.await();
        return 0;
    }

    /** Spawns the services and the gateway together and reports each as it becomes ready. */
    private void startServices(Path fraudJar, Path recsysJar, Path gatewayJar, String bootstrap)
            throws InterruptedException {
        Map<String, String> fraudEnv = serviceEnvironment(config.fraudServicePort(), bootstrap);
        Map<String, String> recsysEnv = serviceEnvironment(config.recsysServicePort(), bootstrap);
        // application-local.yml: the learnt ranker's A/B experiment.
        recsysEnv.put("SPRING_PROFILES_ACTIVE", "local");

        Map<String, String> gatewayEnv = new LinkedHashMap<>();
        gatewayEnv.put("SERVER_PORT", String.valueOf(config.gatewayPort()));
        gatewayEnv.put("PLATFORM_API_KEY", config.apiKey());
        gatewayEnv.put("FRAUD_SERVICE_URL", config.fraudServiceUrl());
        gatewayEnv.put("RECSYS_SERVICE_URL", config.recsysServiceUrl());
        gatewayEnv.put("GATEWAY_PORT", String.valueOf(config.gatewayPort()));
        gatewayEnv.put("SPRING_DATA_REDIS_HOST", config.redisHost());
        gatewayEnv.put("SPRING_DATA_REDIS_PORT", String.valueOf(config.redisPort()));

        record Service(String name, Path jar, String heap, List<String> jvmOptions, Map<String, String> env,
                       URI readiness, Duration timeout, String url, String waiting) {
        }
        List<Service> toStart = List.of(
                new Service("fraud-service", fraudJar, "1g", List.of(), fraudEnv,
                        URI.create(config.fraudServiceUrl() + "/actuator/health/readiness"), Duration.ofMinutes(5),
                        config.fraudServiceUrl(), "a first start trains the model, about a minute"),
                new Service("recsys-service", recsysJar, "768m", List.of(), recsysEnv,
                        URI.create(config.recsysServiceUrl() + "/actuator/health/readiness"), Duration.ofMinutes(2),
                        config.recsysServiceUrl(), "loads the catalogue and the production model"),
                new Service("gateway", gatewayJar, "512m", NETTY_FAST_BUFFERS, gatewayEnv,
                        URI.create(config.gatewayUrl() + "/actuator/health/readiness"), Duration.ofMinutes(2),
                        config.gatewayUrl(), "routes /api/fraud/** and /api/recs/** to the services"));

        ExecutorService waiters = Executors.newFixedThreadPool(toStart.size());
        try {
            List<Future<?>> ready = new ArrayList<>();
            for (Service service : toStart) {
                long t = System.nanoTime();
                ServiceProcess process = ServiceProcess.start(service.name(), javaCommand(service.name(),
                                service.heap(), service.jvmOptions(), service.jar()), service.env(), config.home(), config.logDir(),
                        config.pidDir());
                stack.add(service.name(), process::close);
                services.add(process);
                console.progress(service.name(), "starting, pid " + process.pid() + ", log "
                        + relative(process.log()) + " (" + service.waiting() + ")");
                ready.add(waiters.submit(() -> {
                    process.awaitReady(service.readiness(), service.timeout());
                    report(service.name(), service.url() + ", pid " + process.pid(), t,
                            Map.of("url", service.url(), "pid", process.pid()));
                    return null;
                }));
            }
            for (Future<?> future : ready) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    ready.forEach(other -> other.cancel(true));
                    if (e.getCause() instanceof LaunchException launch) {
                        throw launch;
                    }
                    throw new LaunchException(FlinkJobs.rootMessage(e), e.getCause());
                }
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    /** On a first start, a catalogue and a history for the recommendation system (see {@link RecsysDemoData}). */
    private void loadRecsysDemoData(String bootstrap, Path lake) throws InterruptedException {
        long t = System.nanoTime();
        if (RecsysDemoData.present(lake)) {
            report("recsys demo data", "already in this checkout's lake", t, Map.of("loaded", false));
            return;
        }
        RecsysDemoData.Loaded loaded = RecsysDemoData.load(config, bootstrap, Instant.now());
        report("recsys demo data", String.format("%,d items, %,d interactions of %,d users on recsys.interactions.v1",
                loaded.items(), loaded.interactions(), loaded.users()), t,
                Map.of("loaded", true, "items", loaded.items(), "interactions", loaded.interactions()));
    }

    /** What every service is told: its port and where Kafka, Postgres, Redis and the model artifacts are. */
    private Map<String, String> serviceEnvironment(int port, String bootstrap) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("DB_URL", config.jdbcUrl());
        env.put("DB_USER", config.dbUser());
        env.put("DB_PASSWORD", config.dbPassword());
        env.put("REDIS_URL", config.redisUrl());
        env.put("MODEL_ARTIFACT_DIR", config.artifactDir().toString());
        return env;
    }

    /**
     * {@code java -Xmx… -jar x.jar}, with the JVM this launcher runs on, the service's own options, and extra options from
     * {@code <NAME>_JAVA_OPTS}. Where {@code setsid} exists the service gets a session of its own, so that
     * Ctrl-C reaches only this launcher, which then stops the services in order (setsid execs, the pid stays).
     */
    List<String> javaCommand(String name, String heap, List<String> jvmOptions, Path jar) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xms128m");
        command.add("-Xmx" + heap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.io.tmpdir=" + config.tmpDir());
        command.addAll(jvmOptions);
        String extra = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** After start-up: a service that dies is reported with the end of its log; the rest keeps running. */
    private void watchServices() {
        for (ServiceProcess service : services) {
            ProcessHandle.of(service.pid()).ifPresent(handle -> handle.onExit().thenRun(() -> {
                if (!stack.isStopping()) {
                    console.info("  !!  " + service.name() + " exited unexpectedly. The end of "
                            + relative(service.log()) + ":\n" + ServiceProcess.tail(service.log(), 20)
                            + "\n  Stop the platform with Ctrl-C or ./platform down, then start it again.");
                }
            }));
        }
    }

    /** The shutdown hook: Ctrl-C, SIGTERM from {@code ./platform down}, or the end of {@code main}. */
    private void shutdown() {
        try {
            if (!stack.isStopping()) {
                console.info("");
                console.info("Stopping the ML platform ...");
                if (stack.stopAll(true)) {
                    console.info("Platform stopped.");
                }
            }
        } finally {
            removeStateFiles();
            stopped.countDown();
        }
    }

    private void report(String component, String detail, long startNanos, Map<String, Object> facts) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        console.ready(component, detail, took);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", component);
        entry.putAll(facts);
        entry.put("seconds", took.toMillis() / 1000.0);
        synchronized (components) {
            components.add(entry);
        }
    }

    /** A platform whose launcher is still alive must be stopped first. */
    private void refuseIfRunning() {
        readPid(config.pidFile()).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().map(c -> c.contains(MAIN_CLASS)).orElse(true))
                .ifPresent(handle -> {
                    throw new LaunchException("the platform is already running (pid " + handle.pid()
                            + "): stop it with ./platform down, or use it as it is.");
                });
    }

    private Path requireJar(String module) {
        Path jar = config.home().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new LaunchException(relative(jar) + " is missing: build it with"
                    + " `./mvnw -q -B -DskipTests package -pl " + module + " -am` (./platform up does this itself).");
        }
        return jar;
    }

    /**
     * A copy of the service's jar under {@code .platform/jars}, which the service runs from: a rebuild
     * while the platform runs rewrites {@code target/}, and a JVM whose jar changes under it fails to load
     * its next class.
     */
    private Path runnableCopy(Path jar) {
        Path copy = config.stateDir().resolve("jars").resolve(jar.getFileName());
        try {
            Files.createDirectories(copy.getParent());
            Path partial = copy.resolveSibling(jar.getFileName() + ".partial");
            Files.copy(jar, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return copy;
        } catch (IOException e) {
            throw new LaunchException("cannot copy " + relative(jar) + " to " + relative(copy) + ": " + e.getMessage(), e);
        }
    }

    private void prepareStateDirectory() {
        try {
            for (Path dir : List.of(config.stateDir(), config.logDir(), config.pidDir(), config.kafkaDir(),
                    config.flinkDir(), config.artifactDir(), config.tmpDir())) {
                Files.createDirectories(dir);
            }
            KafkaBroker.deleteContents(config.flinkDir().resolve("checkpoints"));
            Files.writeString(config.pidFile(), ProcessHandle.current().pid() + "\n");
            Files.writeString(config.apiKeyFile(), config.apiKey() + "\n");
            try {
                Files.setPosixFilePermissions(config.apiKeyFile(), PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the key is a development key anyway.
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + relative(config.stateDir()) + " (" + e.getMessage()
                    + "): check the permissions of the repository directory", e);
        }
    }

    private void removeStateFiles() {
        try {
            Optional<Long> pid = readPid(config.pidFile());
            if (pid.isPresent() && pid.get() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(config.pidFile());
            }
        } catch (IOException e) {
            // ./platform down checks liveness, so a stale file does no harm.
        }
    }

    static Optional<Long> readPid(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String relative(Path path) {
        return path.startsWith(config.home()) ? config.home().relativize(path).toString() : path.toString();
    }

    private static String toJson(Object value) {
        return JsonMapper.builder().build().writeValueAsString(value);
    }
}
