package dev.mlplatform.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code ./platform up} needs before it starts anything, each check ending in one message that
 * says what is wrong and how to fix it: the Java version, Postgres, Redis, and the ports it will bind.
 */
final class Prerequisites {

    /** Something missing, and the fix. */
    record Problem(String message) {
    }

    static final int MINIMUM_JAVA = 17;
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final PortOwners portOwners;

    Prerequisites(PortOwners portOwners) {
        this.portOwners = portOwners;
    }

    /** Every problem, in the order a user should fix them; empty when the platform can start. */
    List<Problem> check(PlatformConfig config) {
        List<Problem> problems = new ArrayList<>();
        java(Runtime.version().feature()).ifPresent(problems::add);
        postgres(config.dbHost(), config.dbPort(), config.dbUser(), config.dbPassword()).ifPresent(problems::add);
        redis(config.redisHost(), config.redisPort()).ifPresent(problems::add);
        problems.addAll(ports(config.ports()));
        return problems;
    }

    static Optional<Problem> java(int feature) {
        if (feature >= MINIMUM_JAVA) {
            return Optional.empty();
        }
        return Optional.of(new Problem("Java " + MINIMUM_JAVA + " or newer is needed, this is Java " + feature
                + ": install it (apt-get install openjdk-17-jdk-headless) and put it first on the PATH, or set JAVA_HOME to it."));
    }

    /** Postgres at {@code host:port} accepts a connection of {@code user} to the {@code postgres} database. */
    static Optional<Problem> postgres(String host, int port, String user, String password) {
        String where = host + ":" + port;
        if (!accepts(host, port)) {
            return Optional.of(new Problem("Postgres is not reachable at " + where + ": start it with"
                    + " `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
                    + " (or set DB_HOST/DB_PORT to where it runs)."));
        }
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://" + where + "/postgres", properties)) {
            return Optional.empty();
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                return Optional.of(new Problem("Postgres at " + where + " refused user '" + user + "' (" + firstLine(e)
                        + "): set DB_USER and DB_PASSWORD to an account that may create databases."));
            }
            return Optional.of(new Problem("Postgres at " + where + " does not accept connections (" + firstLine(e)
                    + "): check that the server is up and allows user '" + user + "' from this host (pg_hba.conf)."));
        }
    }

    /** Redis at {@code host:port} answers PING. */
    static Optional<Problem> redis(String host, int port) {
        String where = host + ":" + port;
        String fix = ": start it with `redis-server --daemonize yes --bind 127.0.0.1 --port " + port
                + "` (or set REDIS_HOST/REDIS_PORT to where it runs).";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readLine(socket.getInputStream());
            if (reply.startsWith("+PONG")) {
                return Optional.empty();
            }
            if (reply.startsWith("-NOAUTH") || reply.startsWith("-WRONGPASS")) {
                return Optional.of(new Problem("Redis at " + where + " requires a password, which the platform does not"
                        + " use: run a Redis without `requirepass` for development, or point REDIS_HOST/REDIS_PORT at one."));
            }
            return Optional.of(new Problem("Redis at " + where + " answered PING with '" + reply + "'" + fix));
        } catch (IOException e) {
            return Optional.of(new Problem("Redis is not reachable at " + where + fix));
        }
    }

    /** Each port the platform binds, with what would bind it, that is already taken. */
    List<Problem> ports(Map<Integer, String> ports) {
        List<Problem> problems = new ArrayList<>();
        ports.forEach((port, user) -> {
            if (!free(port)) {
                String owner = portOwners.find(port)
                        .map(o -> " by " + o.describe() + hint(o))
                        .orElse(" (`ss -ltnp 'sport = :" + port + "'` shows by which process)");
                problems.add(new Problem("port " + port + " (" + user + ") is already in use" + owner
                        + ": stop that process or free the port, then run ./platform up again."));
            }
        });
        return problems;
    }

    private static String hint(PortOwners.Owner owner) {
        String command = owner.command();
        boolean ours = command.contains("dev.mlplatform.local.PlatformLauncher") || command.contains("fraud-service")
                || command.contains("gateway.jar");
        return ours ? " - a platform that is still running: ./platform down stops it" : "";
    }

    /** Whether nothing listens on {@code port} on any local address. */
    static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            return false;
        }
        // A listener on the loopback address alone does not always stop a wildcard bind: ask it too.
        return !accepts("127.0.0.1", port);
    }

    static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
