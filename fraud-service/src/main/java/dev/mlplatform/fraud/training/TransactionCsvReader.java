package dev.mlplatform.fraud.training;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads historical transactions in the handbook simulator's CSV format: a header naming the columns
 * {@code tx_datetime, customer_id, terminal_id, tx_amount, tx_fraud} in any order and any case, other
 * columns ({@code transaction_id}, {@code tx_fraud_scenario}, an index) ignored — a fraud's cause is
 * never a feature. Plain or gzipped, told apart by the gzip magic bytes, not the file name.
 *
 * <p>Times are the file's clock ({@code 2018-04-01 00:00:31}, or with a {@code T}), read as UTC.
 * Any value that cannot be read stops the reading with the line and the column.
 */
public final class TransactionCsvReader {

    static final String DATETIME = "tx_datetime";
    static final String CUSTOMER = "customer_id";
    static final String TERMINAL = "terminal_id";
    static final String AMOUNT = "tx_amount";
    static final String FRAUD = "tx_fraud";
    private static final List<String> REQUIRED = List.of(DATETIME, CUSTOMER, TERMINAL, AMOUNT, FRAUD);
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendPattern("[ ]['T']")
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final int PROGRESS_EVERY = 250_000;

    private TransactionCsvReader() {
    }

    /**
     * Reads {@code file} whole, hashing its bytes on the way.
     *
     * @param progress told every {@value #PROGRESS_EVERY} rows
     * @throws DataFileException naming the file, and the line and column of a bad value
     */
    public static TransactionLog read(Path file, Consumer<String> progress) {
        MessageDigest sha256 = sha256();
        try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha256);
             BufferedReader reader = new BufferedReader(new InputStreamReader(decompressed(raw), StandardCharsets.UTF_8),
                     1 << 16)) {
            TransactionLog.Builder log = new TransactionLog.Builder(file.toString());
            readInto(reader, file.toString(), log, progress);
            // The digest covers every byte, also any after the last line read.
            raw.transferTo(OutputStream.nullOutputStream());
            progress.accept(String.format("read %,d transactions from %s", log.size(), file));
            return log.build(HexFormat.of().formatHex(sha256.digest()));
        } catch (NoSuchFileException e) {
            throw new DataFileException("no such file: " + file);
        } catch (IOException e) {
            throw new DataFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readInto(BufferedReader reader, String source, TransactionLog.Builder log,
                                 Consumer<String> progress) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new DataFileException(source + " is empty: expected a header with " + String.join(", ", REQUIRED));
        }
        List<String> names = split(stripByteOrderMark(header));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            columns.putIfAbsent(names.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        List<String> missing = REQUIRED.stream().filter(name -> !columns.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new DataFileException(source + " line 1: no column " + String.join(", ", missing)
                    + " in the header (it has " + String.join(", ", names) + ")");
        }
        int datetime = columns.get(DATETIME);
        int customer = columns.get(CUSTOMER);
        int terminal = columns.get(TERMINAL);
        int amount = columns.get(AMOUNT);
        int fraud = columns.get(FRAUD);
        int lineNumber = 1;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() != names.size()) {
                throw new DataFileException(source + " line " + lineNumber + ": " + fields.size()
                        + " fields, the header has " + names.size());
            }
            Row row = new Row(source, lineNumber, fields);
            log.add(row.timestamp(datetime), row.id(customer, CUSTOMER), row.id(terminal, TERMINAL),
                    row.amount(amount), row.label(fraud));
            if (log.size() % PROGRESS_EVERY == 0) {
                progress.accept(String.format("read %,d rows ...", log.size()));
            }
        }
    }

    /** One data line's fields, read with the line number for messages. */
    private record Row(String source, int line, List<String> fields) {

        long timestamp(int column) {
            String value = fields.get(column).strip();
            try {
                return LocalDateTime.parse(value, TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw bad(DATETIME, value, "is not a date and time like 2018-04-01 00:00:31");
            }
        }

        String id(int column, String name) {
            String value = fields.get(column).strip();
            if (value.isEmpty()) {
                throw bad(name, value, "is empty");
            }
            return value;
        }

        double amount(int column) {
            String value = fields.get(column).strip();
            double amount;
            try {
                amount = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw bad(AMOUNT, value, "is not a number");
            }
            if (!Double.isFinite(amount) || amount < 0) {
                throw bad(AMOUNT, value, "is not a finite amount of at least 0");
            }
            return amount;
        }

        boolean label(int column) {
            String value = fields.get(column).strip();
            return switch (value) {
                case "0" -> false;
                case "1" -> true;
                default -> throw bad(FRAUD, value, "is not 0 or 1");
            };
        }

        private DataFileException bad(String column, String value, String problem) {
            return new DataFileException(source + " line " + line + ", column " + column + ": '" + value + "' "
                    + problem);
        }
    }

    /** Comma-separated fields; a field in double quotes may hold commas, and {@code ""} is a quote. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static String stripByteOrderMark(String header) {
        return header.startsWith("\uFEFF") ? header.substring(1) : header;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
