package dev.mlplatform.recsys.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MovieLens-format ratings: {@code u.data} style (user, item, rating, timestamp separated by tabs, no
 * header) or {@code ratings.csv} style ({@code userId,movieId,rating,timestamp} with a header), told apart by
 * their first line; and the genres of {@code u.item} (Latin-1, '|'-separated, 19 flags last), when present
 * beside the ratings, for the diversity of a list.
 */
public final class MovieLensFiles {

    private MovieLensFiles() {
    }

    /** The interactions of a ratings file; a malformed line is an error naming the line. */
    public static Interactions ratings(Path file) {
        List<String[]> pairs = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            boolean csv = line.startsWith("userId,");
            int number = 1;
            if (csv) {
                line = reader.readLine();
                number++;
            }
            for (; line != null; line = reader.readLine(), number++) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = csv ? line.split(",") : line.split("\t");
                if (fields.length < 3 || fields[0].isBlank() || fields[1].isBlank()) {
                    throw new IllegalArgumentException(file + " line " + number + ": expected user, item, rating["
                            + ", timestamp] separated by " + (csv ? "commas" : "tabs") + ", got '" + line + "'");
                }
                pairs.add(new String[] {fields[0].trim(), fields[1].trim()});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Interactions.of(pairs);
    }

    /** Each item's genre flags from a {@code u.item} file, by item id; empty when the file does not exist. */
    public static Map<String, boolean[]> genres(Path itemFile) {
        Map<String, boolean[]> genres = new HashMap<>();
        if (!Files.isRegularFile(itemFile)) {
            return genres;
        }
        try {
            for (String line : Files.readAllLines(itemFile, StandardCharsets.ISO_8859_1)) {
                String[] fields = line.split("\\|", -1);
                if (fields.length < 6) {
                    continue;
                }
                boolean[] flags = new boolean[fields.length - 5];
                for (int g = 0; g < flags.length; g++) {
                    flags[g] = "1".equals(fields[5 + g]);
                }
                genres.put(fields[0], flags);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + itemFile + ": " + e.getMessage(), e);
        }
        return genres;
    }
}
