package dev.mlplatform.featurestore.flink;

import dev.mlplatform.featurestore.registry.FeatureRow;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink's serializer of {@link FeatureRow}. Without it Flink falls back to Kryo, which cannot rebuild
 * the row's immutable map; this one is also compact: each value is a one-byte tag and its bytes.
 * Rows are immutable, so copying returns the same instance.
 */
public final class FeatureRowSerializer extends TypeSerializerSingleton<FeatureRow> {

    public static final FeatureRowSerializer INSTANCE = new FeatureRowSerializer();

    private static final byte LONG = 0;
    private static final byte DOUBLE = 1;
    private static final byte STRING = 2;
    private static final byte BOOLEAN = 3;
    private static final byte INTEGER = 4;
    private static final byte FLOAT = 5;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public FeatureRow createInstance() {
        return new FeatureRow("", Instant.EPOCH, Map.of());
    }

    @Override
    public FeatureRow copy(FeatureRow from) {
        return from;
    }

    @Override
    public FeatureRow copy(FeatureRow from, FeatureRow reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FeatureRow row, DataOutputView out) throws IOException {
        StringValue.writeString(row.entityId(), out);
        out.writeLong(row.eventTime().getEpochSecond());
        out.writeInt(row.eventTime().getNano());
        out.writeInt(row.values().size());
        for (Map.Entry<String, Object> entry : row.values().entrySet()) {
            StringValue.writeString(entry.getKey(), out);
            Object value = entry.getValue();
            if (value instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (value instanceof Double d) {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            } else if (value instanceof String s) {
                out.writeByte(STRING);
                StringValue.writeString(s, out);
            } else if (value instanceof Boolean b) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            } else if (value instanceof Integer i) {
                out.writeByte(INTEGER);
                out.writeInt(i);
            } else if (value instanceof Float f) {
                out.writeByte(FLOAT);
                out.writeFloat(f);
            } else {
                throw new IOException("feature " + entry.getKey() + " of entity " + row.entityId()
                        + " has a value of unsupported type " + value.getClass().getName()
                        + " (use Long, Double, String or Boolean)");
            }
        }
    }

    @Override
    public FeatureRow deserialize(DataInputView in) throws IOException {
        String entityId = StringValue.readString(in);
        Instant eventTime = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int size = in.readInt();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String name = StringValue.readString(in);
            byte tag = in.readByte();
            values.put(name, switch (tag) {
                case LONG -> in.readLong();
                case DOUBLE -> in.readDouble();
                case STRING -> StringValue.readString(in);
                case BOOLEAN -> in.readBoolean();
                case INTEGER -> in.readInt();
                case FLOAT -> in.readFloat();
                default -> throw new IOException("corrupt feature row: unknown value tag " + tag);
            });
        }
        return new FeatureRow(entityId, eventTime, values);
    }

    @Override
    public FeatureRow deserialize(FeatureRow reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<FeatureRow> snapshotConfiguration() {
        return new FeatureRowSerializerSnapshot();
    }

    /** Restores the serializer from checkpoints and savepoints; the format has one version so far. */
    public static final class FeatureRowSerializerSnapshot extends SimpleTypeSerializerSnapshot<FeatureRow> {

        public FeatureRowSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
