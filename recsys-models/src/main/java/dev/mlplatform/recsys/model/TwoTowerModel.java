package dev.mlplatform.recsys.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;

/**
 * A trained {@link TwoTower} as serving needs it, one registry artifact: the item tower's output for every item
 * (what the nearest-neighbour index holds) and the user tower (what turns a history into a query). Stored as
 * {@code "MLPTT1"}, then the {@link ItemVectors} and the {@link UserTower} artifacts, each after its length in
 * bytes.
 */
public record TwoTowerModel(ItemVectors items, UserTower users) {

    private static final String MAGIC = "MLPTT1";

    /** The query vector of a user who interacted with {@code history}; items without a vector are skipped. */
    public float[] userVector(Collection<String> history) {
        return users.vector(items, history);
    }

    /** Whether any item of {@code history} has a vector, that is, whether {@link #userVector} says anything. */
    public boolean knowsAnyOf(Collection<String> history) {
        for (String itemId : history) {
            if (items.indexOf(itemId) >= 0) {
                return true;
            }
        }
        return false;
    }

    public void write(OutputStream out) throws IOException {
        ByteArrayOutputStream itemBytes = new ByteArrayOutputStream();
        items.write(itemBytes);
        ByteArrayOutputStream userBytes = new ByteArrayOutputStream();
        users.write(userBytes);
        DataOutputStream data = new DataOutputStream(out);
        data.writeUTF(MAGIC);
        data.writeInt(itemBytes.size());
        itemBytes.writeTo(data);
        data.writeInt(userBytes.size());
        userBytes.writeTo(data);
        data.flush();
    }

    public static TwoTowerModel read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        String magic = data.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not a two-tower artifact (starts with " + magic + ")");
        }
        // Each part reads through its own buffer, so each gets exactly its own bytes.
        ItemVectors items = ItemVectors.read(new ByteArrayInputStream(data.readNBytes(data.readInt())));
        UserTower users = UserTower.read(new ByteArrayInputStream(data.readNBytes(data.readInt())));
        if (users.dimension() != items.dimension()) {
            throw new IOException("a user tower of " + users.dimension() + " dimensions for item vectors of "
                    + items.dimension());
        }
        return new TwoTowerModel(items, users);
    }
}
