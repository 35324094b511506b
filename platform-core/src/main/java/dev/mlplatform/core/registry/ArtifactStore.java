package dev.mlplatform.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Model artifacts stored by content: the SHA-256 of the bytes names the file
 * ({@code <root>/sha256/ab/cdef…}), so the same bytes are stored once, a name never points at
 * other bytes, and a damaged file is detected on read.
 *
 * <p>Writes go to a temporary file in {@code <root>/tmp} (same file system), are flushed to disk
 * and then renamed into place atomically: a reader never sees a half-written artifact, and two
 * processes writing the same content race harmlessly.
 */
public final class ArtifactStore {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;

    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Stores {@code bytes} (a no-op when the same content is already stored). */
    public StoredArtifact put(byte[] bytes) {
        String digest = HEX.formatHex(sha256().digest(bytes));
        Path target = pathOf(digest);
        if (Files.exists(target)) {
            return new StoredArtifact(digest, bytes.length);
        }
        Path temp = newTempFile();
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                out.write(bytes);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            return new StoredArtifact(digest, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store artifact " + digest + " under " + root, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Stores the file at {@code source}, streaming it (large models never sit in memory). */
    public StoredArtifact put(Path source) {
        Path temp = newTempFile();
        try {
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
                 FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                size = in.transferTo(out);
                out.flush();
                channel.force(true);
            }
            String hex = HEX.formatHex(digest.digest());
            Path target = pathOf(hex);
            if (!Files.exists(target)) {
                moveIntoPlace(temp, target);
            }
            return new StoredArtifact(hex, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store artifact from " + source + " under " + root, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    public boolean contains(String sha256) {
        return Files.isRegularFile(pathOf(sha256));
    }

    /** The artifact's bytes, after checking they still hash to {@code sha256}. */
    public byte[] read(String sha256) {
        Path path = existingPath(sha256);
        try {
            byte[] bytes = Files.readAllBytes(path);
            String actual = HEX.formatHex(sha256().digest(bytes));
            if (!actual.equals(sha256)) {
                throw new CorruptArtifactException(sha256, actual, path);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + sha256 + " at " + path, e);
        }
    }

    /**
     * The artifact's file, after checking its content hashes to {@code sha256}; for runtimes that
     * load models from a path (TorchScript, DJL). The file is not to be modified.
     */
    public Path verifiedPath(String sha256) {
        Path path = existingPath(sha256);
        MessageDigest digest = sha256();
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest);
             InputStream in = Files.newInputStream(path)) {
            in.transferTo(sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + sha256 + " at " + path, e);
        }
        String actual = HEX.formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new CorruptArtifactException(sha256, actual, path);
        }
        return path;
    }

    /** Where the artifact with this digest lives (whether or not it is stored). */
    public Path pathOf(String sha256) {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256 digest: " + sha256);
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    private Path existingPath(String sha256) {
        Path path = pathOf(sha256);
        if (!Files.isRegularFile(path)) {
            throw new ArtifactNotFoundException(sha256, path);
        }
        return path;
    }

    private Path newTempFile() {
        try {
            Path tempDir = Files.createDirectories(root.resolve("tmp"));
            return Files.createTempFile(tempDir, "artifact-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file under " + root, e);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        // rename(2) replaces atomically; a concurrent writer of the same digest wrote the same bytes.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        target.toFile().setReadOnly();
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover *.part file in tmp/ is harmless and never read.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Where an artifact was stored: its content digest and size. */
    public record StoredArtifact(String sha256, long sizeBytes) {
    }

    /** No artifact with this digest is stored. */
    public static final class ArtifactNotFoundException extends RuntimeException {
        ArtifactNotFoundException(String sha256, Path path) {
            super("no artifact " + sha256 + " at " + path);
        }
    }

    /** The stored bytes no longer hash to their name: the file was damaged or tampered with. */
    public static final class CorruptArtifactException extends RuntimeException {
        CorruptArtifactException(String expected, String actual, Path path) {
            super("artifact at " + path + " hashes to " + actual + ", expected " + expected);
        }
    }
}
