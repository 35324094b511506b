package dev.mlplatform.core.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} and {@code --flag} options of one command of {@code ./platform}. Every option
 * a command reads must be declared, so that a typo ({@code --durration}) is an error naming the option, not
 * a silent default.
 */
public final class CommandOptions {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private CommandOptions() {
    }

    /**
     * Parses {@code args}; {@code valued} names the options that take a value, {@code booleans} the flags.
     *
     * @throws UsageException naming the first unknown option or missing value
     */
    public static CommandOptions parse(List<String> args, Set<String> valued, Set<String> booleans) {
        CommandOptions options = new CommandOptions();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (booleans.contains(name) && inlineValue == null) {
                options.flags.add(name);
            } else if (valued.contains(name)) {
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                options.values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return options;
    }

    /** The value of an option that must be given. */
    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public long positiveLong(String name, long fallback) {
        return wholeNumber(name, fallback, 1);
    }

    /** A whole number of 0 or more: for counts where 0 means "none". */
    public long nonNegativeLong(String name, long fallback) {
        return wholeNumber(name, fallback, 0);
    }

    private long wholeNumber(String name, long fallback, long least) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.replace("_", "").replace(",", ""));
            if (parsed < least) {
                throw new UsageException("--" + name + (least == 1 ? " must be greater than 0" : " must be 0 or more")
                        + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    /** A duration: {@code 60} or {@code 60s} (seconds), {@code 500ms}, {@code 2m}; zero allowed. */
    public Duration duration(String name, Duration fallback) {
        String value = values.get(name);
        return value == null ? fallback : parseDuration(name, value);
    }

    public static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration parsed;
            if (v.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                parsed = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                parsed = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            } else {
                parsed = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            }
            if (parsed.isNegative()) {
                throw new UsageException("--" + name + " must not be negative, got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a duration such as 30, 30s, 500ms or 2m, got '" + value + "'");
        }
    }

    /** A mistake on the command line: the message is for the user, with no stack trace. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
