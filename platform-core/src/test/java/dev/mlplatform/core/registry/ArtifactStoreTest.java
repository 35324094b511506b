package dev.mlplatform.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    // sha256("hello model") computed independently (sha256sum).
    private static final String HELLO_DIGEST = "2b2eb6f423932d62cafb015658d50a64d33e96e66fc9ec182172df817971e6f4";

    @TempDir
    Path root;

    @Test
    void namesTheFileByTheSha256OfItsContent() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        byte[] bytes = "hello model".getBytes(StandardCharsets.UTF_8);
        ArtifactStore.StoredArtifact stored = store.put(bytes);
        assertThat(stored.sha256()).isEqualTo(sha256sum(bytes));
        assertThat(stored.sizeBytes()).isEqualTo(bytes.length);
        Path expected = root.resolve("sha256").resolve(stored.sha256().substring(0, 2))
                .resolve(stored.sha256().substring(2));
        assertThat(store.pathOf(stored.sha256())).isEqualTo(expected);
        assertThat(Files.readAllBytes(expected)).isEqualTo(bytes);
        assertThat(store.read(stored.sha256())).isEqualTo(bytes);
        assertThat(store.contains(stored.sha256())).isTrue();
    }

    @Test
    void storesTheSameContentOnceAndLeavesNoTemporaryFiles() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        byte[] bytes = randomBytes(3, 10_000);
        String first = store.put(bytes).sha256();
        String second = store.put(bytes.clone()).sha256();
        assertThat(second).isEqualTo(first);
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(store.pathOf(first));
        }
    }

    @Test
    void streamsAFileToTheSameAddressAsItsBytes() throws Exception {
        ArtifactStore store = new ArtifactStore(root.resolve("store"));
        byte[] bytes = randomBytes(4, 1_000_000);
        Path source = root.resolve("model.onnx");
        Files.write(source, bytes);
        ArtifactStore.StoredArtifact fromFile = store.put(source);
        assertThat(fromFile.sha256()).isEqualTo(sha256sum(bytes));
        assertThat(fromFile.sizeBytes()).isEqualTo(bytes.length);
        assertThat(store.verifiedPath(fromFile.sha256())).hasBinaryContent(bytes);
        try (Stream<Path> temporary = Files.list(root.resolve("store").resolve("tmp"))) {
            assertThat(temporary).isEmpty();
        }
    }

    @Test
    void detectsADamagedArtifactOnRead() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        String digest = store.put(randomBytes(5, 4096)).sha256();
        Path file = store.pathOf(digest);
        file.toFile().setWritable(true);
        byte[] damaged = Files.readAllBytes(file);
        damaged[100] ^= 1;
        Files.write(file, damaged);
        assertThatThrownBy(() -> store.read(digest)).isInstanceOf(ArtifactStore.CorruptArtifactException.class)
                .hasMessageContaining(digest);
        assertThatThrownBy(() -> store.verifiedPath(digest)).isInstanceOf(ArtifactStore.CorruptArtifactException.class);
    }

    @Test
    void refusesUnknownAndMalformedDigests() {
        ArtifactStore store = new ArtifactStore(root);
        String absent = sha256sum(new byte[] {42});
        assertThat(store.contains(absent)).isFalse();
        assertThatThrownBy(() -> store.read(absent)).isInstanceOf(ArtifactStore.ArtifactNotFoundException.class);
        assertThatThrownBy(() -> store.read("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read(absent.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentWritersOfTheSameContentAgree() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        byte[] bytes = randomBytes(6, 200_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writes.add(pool.submit(() -> store.put(bytes).sha256()));
            }
            for (Future<String> write : writes) {
                assertThat(write.get()).isEqualTo(sha256sum(bytes));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.read(sha256sum(bytes))).isEqualTo(bytes);
    }

    @Test
    void knownTextHasItsPublishedDigest() {
        assertThat(new ArtifactStore(root).put("hello model".getBytes(StandardCharsets.UTF_8)).sha256())
                .isEqualTo(HELLO_DIGEST);
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The digest as an independent tool computes it. */
    private static String sha256sum(byte[] bytes) {
        try {
            Process process = new ProcessBuilder("sha256sum").start();
            try (var in = process.getOutputStream()) {
                in.write(bytes);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            process.waitFor();
            return output.substring(0, 64);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
