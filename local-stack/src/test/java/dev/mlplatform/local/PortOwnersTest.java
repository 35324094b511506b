package dev.mlplatform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortOwnersTest {

    @Test
    void findsTheInodesOfListeningSocketsOnAPortOnly(@TempDir Path dir) throws IOException {
        Path tcp = dir.resolve("tcp");
        Files.writeString(tcp, String.join("\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                // 0x1F90 = 8080, listening (0A)
                "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0",
                // 8080 but an established connection (01): not a listener
                "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1",
                // 0x2384 = 9092, listening
                "   2: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0"));

        assertThat(PortOwners.listeningInodes(tcp, 8080)).containsExactly("111");
        assertThat(PortOwners.listeningInodes(tcp, 9092)).containsExactly("333");
        assertThat(PortOwners.listeningInodes(tcp, 8081)).isEmpty();
        assertThat(PortOwners.listeningInodes(dir.resolve("missing"), 8080)).isEmpty();
    }

    @Test
    void shortensJavaCommandLinesToWhatTheyRun() {
        assertThat(PortOwners.abbreviate("/usr/lib/jvm/java-17/bin/java -Xmx1g -cp /a.jar:/b.jar dev.x.Main up --json"))
                .isEqualTo("java dev.x.Main up --json");
        assertThat(PortOwners.abbreviate("java -Xmx512m -Dx=y -jar /work/gateway/target/gateway.jar"))
                .isEqualTo("java -jar /work/gateway/target/gateway.jar");
        assertThat(PortOwners.abbreviate("redis-server 127.0.0.1:6379")).isEqualTo("redis-server 127.0.0.1:6379");
        assertThat(PortOwners.abbreviate("x".repeat(300))).hasSize(100).endsWith("...");
    }
}
