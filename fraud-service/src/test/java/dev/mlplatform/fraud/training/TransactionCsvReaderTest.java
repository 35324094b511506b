package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionCsvReaderTest {

    private static final String HANDBOOK = """
            transaction_id,tx_datetime,customer_id,terminal_id,tx_amount,tx_fraud,tx_fraud_scenario
            0,2018-04-01 00:00:31,596,3156,57.16,0,0
            1,2018-04-01 00:02:10,4961,3412,81.51,1,2
            2,2018-04-02 23:59:59,596,1365,146.00,0,0
            """;

    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();

    @Test
    void readsTheHandbooksFormatPlainOrGzippedByTheirBytes() throws IOException {
        Path plain = write("transactions.csv.gz", HANDBOOK); // a misleading name: the bytes decide
        Path gzipped = dir.resolve("transactions.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(HANDBOOK.getBytes(StandardCharsets.UTF_8));
        }

        TransactionLog fromPlain = TransactionCsvReader.read(plain, progress::add);
        TransactionLog fromGzip = TransactionCsvReader.read(gzipped, progress::add);

        for (TransactionLog log : List.of(fromPlain, fromGzip)) {
            assertThat(log.size()).isEqualTo(3);
            assertThat(log.epochMillis()[0]).isEqualTo(Instant.parse("2018-04-01T00:00:31Z").toEpochMilli());
            assertThat(log.transaction(1).customerId()).isEqualTo("4961");
            assertThat(log.transaction(1).terminalId()).isEqualTo("3412");
            assertThat(log.transaction(1).amount()).isEqualTo(81.51);
            assertThat(log.transaction(1).fraud()).isTrue();
            assertThat(log.customerIds()[log.customer()[2]]).isEqualTo("596");
            assertThat(log.firstDay()).isEqualTo(LocalDate.of(2018, 4, 1));
            assertThat(log.lastDay()).isEqualTo(LocalDate.of(2018, 4, 2));
        }
        // The hash is of the file as stored, for lineage.
        assertThat(fromPlain.sha256()).isEqualTo(sha256(plain));
        assertThat(fromGzip.sha256()).isEqualTo(sha256(gzipped)).isNotEqualTo(fromPlain.sha256());
        assertThat(progress).anyMatch(line -> line.contains("read 3 transactions"));
    }

    @Test
    void findsColumnsByNameInAnyOrderAndCaseIgnoringOthers() {
        Path file = write("upper.csv", """
                ,TX_FRAUD,TX_AMOUNT,TX_FRAUD_SCENARIO,Terminal_Id,CUSTOMER_ID,TX_DATETIME,TRANSACTION_ID
                7,1,12.50,3,t-9,c-1,2018-05-01T10:00:00,7
                """);

        TransactionLog log = TransactionCsvReader.read(file, progress::add);

        assertThat(log.transaction(0).fraud()).isTrue();
        assertThat(log.transaction(0).amount()).isEqualTo(12.5);
        assertThat(log.transaction(0).terminalId()).isEqualTo("t-9");
        assertThat(log.transaction(0).customerId()).isEqualTo("c-1");
        assertThat(log.epochMillis()[0]).isEqualTo(Instant.parse("2018-05-01T10:00:00Z").toEpochMilli());
    }

    @Test
    void putsRowsInEventTimeOrderKeepingTheFileOrderOfEqualTimes() {
        Path file = write("unordered.csv", """
                tx_datetime,customer_id,terminal_id,tx_amount,tx_fraud
                2018-04-02 10:00:00,late,t,1.00,0
                2018-04-01 10:00:00,first,t,2.00,0
                2018-04-01 10:00:00,second,t,3.00,0
                """);

        TransactionLog log = TransactionCsvReader.read(file, progress::add);

        assertThat(List.of(log.transaction(0).customerId(), log.transaction(1).customerId(),
                log.transaction(2).customerId())).containsExactly("first", "second", "late");
    }

    @Test
    void aMalformedValueNamesItsLineAndColumn() {
        Path date = write("date.csv", HANDBOOK.replace("2018-04-02 23:59:59", "2018-04-31 23:59:59"));
        Path label = write("label.csv", HANDBOOK.replace("146.00,0,0", "146.00,yes,0"));
        Path fields = write("fields.csv", HANDBOOK + "3,2018-04-03 00:00:00,1,2\n");

        Path amount = write("amount.csv", HANDBOOK + "3,2018-04-03 00:00:00,1,2,12.5x,0,0\n");

        assertThatThrownBy(() -> TransactionCsvReader.read(amount, progress::add))
                .isInstanceOf(DataFileException.class)
                .hasMessageEndingWith("amount.csv line 5, column tx_amount: '12.5x' is not a number");
        assertThatThrownBy(() -> TransactionCsvReader.read(date, progress::add))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("line 4, column tx_datetime: '2018-04-31 23:59:59' is not a date");
        assertThatThrownBy(() -> TransactionCsvReader.read(label, progress::add))
                .isInstanceOf(DataFileException.class).hasMessageContaining("line 4, column tx_fraud: 'yes' is not 0 or 1");
        assertThatThrownBy(() -> TransactionCsvReader.read(fields, progress::add))
                .isInstanceOf(DataFileException.class).hasMessageContaining("line 5: 4 fields, the header has 7");
    }

    @Test
    void saysWhatIsMissing() {
        assertThatThrownBy(() -> TransactionCsvReader.read(dir.resolve("nowhere.csv"), progress::add))
                .isInstanceOf(DataFileException.class).hasMessageStartingWith("no such file: ");
        assertThatThrownBy(() -> TransactionCsvReader.read(write("header.csv",
                        "tx_datetime,customer_id,tx_amount,tx_fraud\n"), progress::add))
                .isInstanceOf(DataFileException.class).hasMessageContaining("line 1: no column terminal_id");
        assertThatThrownBy(() -> TransactionCsvReader.read(write("empty.csv", ""), progress::add))
                .isInstanceOf(DataFileException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> TransactionCsvReader.read(write("no-rows.csv",
                        "tx_datetime,customer_id,terminal_id,tx_amount,tx_fraud\n"), progress::add))
                .isInstanceOf(DataFileException.class).hasMessageContaining("holds no transactions");
    }

    @Test
    void quotedFieldsMayHoldCommas() {
        assertThat(TransactionCsvReader.split("a,\"b,c\",\"say \"\"hi\"\"\",")).containsExactly("a", "b,c",
                "say \"hi\"", "");
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
