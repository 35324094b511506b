package dev.mlplatform.local;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** The launcher's human output: one line per component as it becomes ready or stops, aligned. */
final class Console {

    private final PrintStream out;

    Console(PrintStream out) {
        this.out = out;
    }

    PrintStream stream() {
        return out;
    }

    /** {@code   ok  Kafka           localhost:9092, 4 topics                   2.9 s}. */
    void ready(String component, String detail, Duration took) {
        out.println(line("ok", component, detail, took));
    }

    void stopped(String component, Duration took) {
        out.println(line("--", component, "stopped", took));
    }

    void progress(String component, String detail) {
        out.println(line("..", component, detail, null));
    }

    void info(String text) {
        out.println(text);
    }

    static String line(String mark, String component, String detail, Duration took) {
        String time = took == null ? "" : seconds(took);
        return String.format(Locale.ROOT, "  %-3s %-14s %-56s %7s", mark, component, detail, time).stripTrailing();
    }

    static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
