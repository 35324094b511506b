package dev.mlplatform.recsys.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each item's strongest neighbours with their weights, best first: the sparse, top-k form of an item-item model
 * (EASE's {@code B}). Serving scores a user's recent items by summing their neighbours' weights, which is the
 * model's own scoring restricted to the largest weights. Stored as a registry artifact: {@code "MLPIN1"}, item
 * count, then per item its id, its neighbour count and per neighbour an id and a float weight.
 */
public final class ItemNeighbours {

    private static final String MAGIC = "MLPIN1";

    public record Neighbour(String itemId, float weight) {
    }

    private final Map<String, List<Neighbour>> neighbours;

    /** @param neighbours per item, its neighbours best first (the map's iteration order is kept when written) */
    public ItemNeighbours(Map<String, List<Neighbour>> neighbours) {
        this.neighbours = neighbours;
    }

    /** The item's neighbours, best first; empty for an item the model does not know. */
    public List<Neighbour> of(String itemId) {
        return neighbours.getOrDefault(itemId, List.of());
    }

    public int items() {
        return neighbours.size();
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.writeUTF(MAGIC);
        data.writeInt(neighbours.size());
        for (Map.Entry<String, List<Neighbour>> entry : neighbours.entrySet()) {
            data.writeUTF(entry.getKey());
            data.writeInt(entry.getValue().size());
            for (Neighbour neighbour : entry.getValue()) {
                data.writeUTF(neighbour.itemId());
                data.writeFloat(neighbour.weight());
            }
        }
        data.flush();
    }

    public static ItemNeighbours read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        String magic = data.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not an item-neighbours artifact (starts with " + magic + ")");
        }
        int items = data.readInt();
        Map<String, List<Neighbour>> neighbours = new HashMap<>(items * 2);
        for (int i = 0; i < items; i++) {
            String item = data.readUTF();
            int count = data.readInt();
            List<Neighbour> list = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                list.add(new Neighbour(data.readUTF(), data.readFloat()));
            }
            neighbours.put(item, List.copyOf(list));
        }
        return new ItemNeighbours(neighbours);
    }
}
