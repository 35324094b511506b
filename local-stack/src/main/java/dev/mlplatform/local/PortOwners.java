package dev.mlplatform.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a TCP port, read from Linux's {@code /proc}: the socket's inode from
 * {@code /proc/net/tcp} and {@code tcp6}, then the process holding that inode among its descriptors.
 * Only processes this user may inspect are found; elsewhere the answer is empty.
 */
final class PortOwners {

    /** A listening process: its id and command line. */
    record Owner(long pid, String command) {
        String describe() {
            return "pid " + pid + (command.isBlank() ? "" : " (" + abbreviate(command) + ")");
        }
    }

    private static final String LISTEN = "0A";

    private final Path proc;

    PortOwners() {
        this(Path.of("/proc"));
    }

    PortOwners(Path proc) {
        this.proc = proc;
    }

    /** The process listening on {@code port}, if it can be found. */
    Optional<Owner> find(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            inodes.addAll(listeningInodes(proc.resolve("net").resolve(table), port));
        }
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                if (holdsAny(process, inodes)) {
                    long pid = Long.parseLong(process.getFileName().toString());
                    return Optional.of(new Owner(pid, commandLine(process)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The inodes of sockets listening on {@code port} in one {@code /proc/net/tcp*} table. */
    static Set<String> listeningInodes(Path table, int port) {
        Set<String> inodes = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            return inodes;
        }
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            if (f.length < 10) {
                continue;
            }
            String local = f[1];
            if (local.endsWith(":" + hexPort) && LISTEN.equals(f[3]) && !"0".equals(f[9])) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path process, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // Closed meanwhile, or not ours to read.
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** A command line short enough for one message: for a JVM, {@code java -jar x.jar} or {@code java Main args}. */
    static String abbreviate(String command) {
        String[] tokens = command.trim().split("\\s+");
        if (tokens.length > 1 && (tokens[0].endsWith("/java") || tokens[0].equals("java"))) {
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i];
                if (Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path").contains(t)) {
                    i++;
                } else if (t.equals("-jar") && i + 1 < tokens.length) {
                    return shorten("java -jar " + tokens[i + 1]);
                } else if (!t.startsWith("-")) {
                    return shorten("java " + String.join(" ", java.util.Arrays.copyOfRange(tokens, i, tokens.length)));
                }
            }
        }
        return shorten(command);
    }

    private static String shorten(String text) {
        return text.length() <= 100 ? text : text.substring(0, 97) + "...";
    }
}
