package dev.mlplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The CPU time a process has used, from Linux's {@code /proc/<pid>/stat}; empty elsewhere. */
final class ProcessCpu {

    /** {@code USER_HZ}: Linux reports {@code utime} and {@code stime} in hundredths of a second on every common platform. */
    static final int TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** User plus system time of {@code pid}, in ticks. */
    static OptionalLong ticks(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Fields 14 and 15 of a {@code stat} line; the command name (field 2) may itself hold spaces and parentheses. */
    static OptionalLong parseStat(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(end + 2).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        if (fields.length < 13) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }
}
