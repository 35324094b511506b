package dev.mlplatform.fraud.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the command answers to mistakes: one line and exit status 2, never a stack trace. */
class FraudTrainCommandTest {

    @TempDir
    static Path dir;
    private static Path data;

    @BeforeAll
    static void writeData() {
        data = SyntheticTransactions.write(dir.resolve("synthetic.csv"), 12);
    }

    @Test
    void aMissingOptionOrABadDateIsAUsageError() {
        Run missing = run("--data", data.toString(), "--train-start", "2018-04-05", "--train-days", "3",
                "--delay-days", "2");
        Run badDate = run("--data", data.toString(), "--train-start", "2018-13-01", "--train-days", "3",
                "--delay-days", "2", "--test-days", "2");
        Run typo = run("--data", data.toString(), "--train-start", "2018-04-05", "--train-dayz", "3");
        Run oneDay = run("--data", data.toString(), "--train-start", "2018-04-05", "--train-days", "1",
                "--delay-days", "2", "--test-days", "2");

        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.errorLines()).containsExactly("error: --test-days is required");
        assertThat(badDate.errorLines())
                .containsExactly("error: --train-start: '2018-13-01' is not a date like 2018-07-01");
        assertThat(typo.errorLines()).containsExactly("error: unknown option --train-dayz");
        assertThat(oneDay.errorLines()).singleElement().asString().contains("--train-days must be at least 2");
        assertThat(missing.err()).contains("usage: ./platform fraud train");
    }

    @Test
    void aMissingFileADateRangeOutsideItOrABadRowIsADataError() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.csv"), Files.readString(data)
                .replaceFirst("\n(\\d+),2018-04-01 ([0-9:]+),", "\n$1,2018-04-01 $2x,"));

        Run absent = run(options(dir.resolve("absent.csv"), "2018-04-05"));
        Run outside = run(options(data, "2018-04-06"));
        Run malformed = run(options(broken, "2018-04-05"));

        assertThat(List.of(absent.status(), outside.status(), malformed.status())).containsOnly(2);
        assertThat(absent.errorLines()).containsExactly("error: no such file: " + dir.resolve("absent.csv"));
        assertThat(outside.errorLines()).singleElement().asString()
                .contains("the split needs 2018-04-06 to 2018-04-13")
                .contains("holds 2018-04-01 to 2018-04-12");
        assertThat(malformed.errorLines()).singleElement().asString()
                .contains("broken.csv line 2, column tx_datetime: '2018-04-01 ")
                .endsWith("x' is not a date and time like 2018-04-01 00:00:31");
        assertThat(malformed.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void withJsonAFailureIsAlsoAnObjectOnStdout() {
        Run absent = run("--data", dir.resolve("absent.csv").toString(), "--train-start", "2018-04-05",
                "--train-days", "3", "--delay-days", "2", "--test-days", "2", "--json");

        JsonNode result = JsonMapper.builder().build().readTree(absent.out());
        assertThat(result.path("status").asString()).isEqualTo("failed");
        assertThat(result.path("error").asString()).startsWith("no such file: ");
    }

    private static String[] options(Path file, String trainStart) {
        return new String[] {"--data", file.toString(), "--train-start", trainStart, "--train-days", "3",
                "--delay-days", "2", "--test-days", "3", "--no-register", "--out", dir.resolve("out").toString()};
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FraudTrainCommand.run(List.of(args), dir, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Run(int status, String out, String err) {

        List<String> errorLines() {
            List<String> lines = new ArrayList<>();
            for (String line : err.split("\n")) {
                if (line.startsWith("error: ")) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }
}
