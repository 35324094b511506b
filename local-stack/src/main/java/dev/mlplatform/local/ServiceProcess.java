package dev.mlplatform.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One platform service running as a process of its own: started with its environment, its output in
 * {@code .platform/logs/<name>.log}, its pid in {@code .platform/pids/<name>.pid}; ready once its
 * readiness endpoint answers 200; stopped with SIGTERM, then SIGKILL, together with any process it
 * started.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;

    private ServiceProcess(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code command} in {@code workingDir} with {@code environment} added to this process's own.
     *
     * @throws LaunchException when the command cannot be started (the message names it)
     */
    static ServiceProcess start(String name, List<String> command, Map<String, String> environment, Path workingDir,
                                Path logDir, Path pidDir) {
        try {
            Files.createDirectories(logDir);
            Files.createDirectories(pidDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Path pidFile = pidDir.resolve(name + ".pid");
            Files.writeString(pidFile, process.pid() + "\n");
            return new ServiceProcess(name, process, log, pidFile);
        } catch (IOException e) {
            throw new LaunchException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * Polls {@code readiness} until it answers 200, the process exits, or {@code timeout} passes.
     *
     * @throws LaunchException when the process died (with the tail of its log) or never became ready
     */
    void awaitReady(URI readiness, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new LaunchException(name + " exited with status " + process.exitValue() + " while starting."
                        + " The end of " + relative(log) + ":\n" + tail(log, 30));
            }
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException(name + " was not ready after " + Console.seconds(timeout) + " (" + readiness
                        + "). The end of " + relative(log) + ":\n" + tail(log, 30));
            }
            Thread.sleep(250);
        }
    }

    /** SIGTERM to the process and everything it started; SIGKILL to what is left after {@code grace}. */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // The pid file of a process that is gone does no harm: ./platform down checks liveness.
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    /** The last {@code lines} lines of {@code file}, read from its end (logs can be large). */
    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log)";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int chunk = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[chunk];
            in.seek(length - chunk);
            in.readFully(bytes);
            Deque<String> last = new ArrayDeque<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
                last.addLast(readable(line));
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
            return "    " + String.join("\n    ", last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A log line as a person reads it: a structured (ECS JSON) line becomes
     * {@code time LEVEL message: error}, other lines stay as they are; either is cut at 400 characters.
     */
    static String readable(String line) {
        String text = line;
        if (line.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node.has("message")) {
                    String time = node.path("@timestamp").asString("");
                    time = time.length() >= 23 ? time.substring(11, 23) : time;
                    StringBuilder b = new StringBuilder(time).append(' ')
                            .append(node.path("log").path("level").asString("")).append(' ')
                            .append(node.path("message").asString(""));
                    JsonNode error = node.path("error");
                    if (error.has("message") || error.has("type")) {
                        b.append(": ").append(error.path("type").asString("")).append(' ')
                                .append(error.path("message").asString(""));
                    }
                    text = b.toString().replace('\n', ' ');
                }
            } catch (JacksonException e) {
                // Not JSON after all: shown as it is.
            }
        }
        return text.length() <= 400 ? text : text.substring(0, 397) + "...";
    }

    private static String relative(Path log) {
        Path cwd = Path.of("").toAbsolutePath();
        return log.startsWith(cwd) ? cwd.relativize(log).toString() : log.toString();
    }
}
