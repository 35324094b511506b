package dev.mlplatform.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandOptionsTest {

    private static CommandOptions parse(String... args) {
        return CommandOptions.parse(List.of(args), Set.of("rate", "duration"), Set.of("json"));
    }

    @Test
    void readsValuesFlagsAndDurationsInEveryUnit() {
        CommandOptions o = parse("--rate", "1,000", "--duration=90s", "--json");
        assertThat(o.positiveLong("rate", 5)).isEqualTo(1000);
        assertThat(o.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.flag("json")).isTrue();
        assertThat(CommandOptions.parseDuration("d", "60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(CommandOptions.parseDuration("d", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(CommandOptions.parseDuration("d", "1.5m")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void fallsBackToDefaultsWhenAnOptionIsAbsent() {
        CommandOptions o = parse();
        assertThat(o.positiveLong("rate", 50)).isEqualTo(50);
        assertThat(o.duration("duration", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.flag("json")).isFalse();
    }

    @Test
    void namesTheOptionThatIsWrong() {
        assertThatThrownBy(() -> parse("--durration", "5")).hasMessage("unknown option --durration");
        assertThatThrownBy(() -> parse("--rate")).hasMessage("option --rate needs a value");
        assertThatThrownBy(() -> parse("--rate", "fast").positiveLong("rate", 1))
                .hasMessageContaining("--rate must be a whole number");
        assertThatThrownBy(() -> parse("--rate", "0").positiveLong("rate", 1))
                .hasMessageContaining("--rate must be greater than 0");
        assertThatThrownBy(() -> parse("--duration", "soon").duration("duration", Duration.ZERO))
                .hasMessageContaining("--duration must be a duration");
        assertThatThrownBy(() -> parse("rest")).hasMessage("unexpected argument 'rest'");
    }
}
