package dev.mlplatform.featurestore.definitions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A ranked list of items with a number each, in the one string form the recsys views store it in:
 * {@code id:value,id:value,...}, best first. Ids never hold ':' or ',' (the platform's id rule allows ':' — so
 * the value is after the last ':').
 */
public record RankedItems(List<Entry> entries) {

    public record Entry(String itemId, double value) {
    }

    public RankedItems {
        entries = List.copyOf(entries);
    }

    public static RankedItems parse(String encoded) {
        List<Entry> entries = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return new RankedItems(entries);
        }
        int start = 0;
        while (start < encoded.length()) {
            int end = encoded.indexOf(',', start);
            if (end < 0) {
                end = encoded.length();
            }
            int colon = encoded.lastIndexOf(':', end - 1);
            if (colon < start) {
                throw new IllegalArgumentException("not item:value at " + start + ": " + encoded);
            }
            entries.add(new Entry(encoded.substring(start, colon), Double.parseDouble(encoded.substring(colon + 1, end))));
            start = end + 1;
        }
        return new RankedItems(entries);
    }

    /** The string form; values with at most 6 significant decimals, integers without a fraction. */
    public String encode() {
        StringBuilder out = new StringBuilder(entries.size() * 12);
        for (Entry entry : entries) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(entry.itemId()).append(':');
            double value = entry.value();
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                out.append((long) value);
            } else {
                out.append(String.format(Locale.ROOT, "%.6g", value));
            }
        }
        return out.toString();
    }

    public List<String> itemIds() {
        return entries.stream().map(Entry::itemId).toList();
    }
}
