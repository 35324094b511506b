package dev.mlplatform.recsys.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One dense vector per item (matrix-factorisation factors, a two-tower model's item tower): what nearest-neighbour
 * retrieval indexes. Stored as a registry artifact in a small binary form: {@code "MLPIV1"}, item count, dimension,
 * then per item its id ({@link DataOutputStream#writeUTF}) and its floats.
 */
public final class ItemVectors {

    private static final String MAGIC = "MLPIV1";

    private final List<String> itemIds;
    private final float[][] vectors;
    private final Map<String, Integer> indexOf;

    public ItemVectors(List<String> itemIds, float[][] vectors) {
        if (itemIds.size() != vectors.length) {
            throw new IllegalArgumentException(itemIds.size() + " ids for " + vectors.length + " vectors");
        }
        int dimension = vectors.length == 0 ? 0 : vectors[0].length;
        for (float[] vector : vectors) {
            if (vector.length != dimension) {
                throw new IllegalArgumentException("vectors of " + vector.length + " and " + dimension + " dimensions");
            }
        }
        this.itemIds = List.copyOf(itemIds);
        this.vectors = vectors;
        this.indexOf = new HashMap<>(itemIds.size() * 2);
        for (int i = 0; i < itemIds.size(); i++) {
            if (indexOf.put(itemIds.get(i), i) != null) {
                throw new IllegalArgumentException("item " + itemIds.get(i) + " appears twice");
            }
        }
    }

    public int size() {
        return itemIds.size();
    }

    public int dimension() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    public String itemId(int index) {
        return itemIds.get(index);
    }

    public List<String> itemIds() {
        return itemIds;
    }

    /** The item's vector (not a copy: read it, do not change it). */
    public float[] vector(int index) {
        return vectors[index];
    }

    /** The item's index, or -1 when it has no vector. */
    public int indexOf(String itemId) {
        return indexOf.getOrDefault(itemId, -1);
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.writeUTF(MAGIC);
        data.writeInt(size());
        data.writeInt(dimension());
        for (int i = 0; i < size(); i++) {
            data.writeUTF(itemIds.get(i));
            for (float value : vectors[i]) {
                data.writeFloat(value);
            }
        }
        data.flush();
    }

    public static ItemVectors read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        String magic = data.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not an item-vectors artifact (starts with " + magic + ")");
        }
        int count = data.readInt();
        int dimension = data.readInt();
        String[] ids = new String[count];
        float[][] vectors = new float[count][dimension];
        for (int i = 0; i < count; i++) {
            ids[i] = data.readUTF();
            for (int d = 0; d < dimension; d++) {
                vectors[i][d] = data.readFloat();
            }
        }
        return new ItemVectors(List.of(ids), vectors);
    }
}
