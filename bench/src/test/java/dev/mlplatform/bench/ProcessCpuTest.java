package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
        assertThat(ProcessCpu.parseStat(stat)).isEqualTo(OptionalLong.of(1234 + 567));
    }

    @Test
    void readsThisProcessOnLinuxAndNothingForAProcessThatIsGone() {
        OptionalLong self = ProcessCpu.ticks(ProcessHandle.current().pid());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(self).isPresent();
        }
        assertThat(ProcessCpu.ticks(Long.MAX_VALUE)).isEmpty();
    }
}
