package dev.mlplatform.featurestore.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlplatform.featurestore.FeatureStoreConnection;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.registry.FeatureRow;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class FeatureRowSerializerTest {

    private final TypeSerializer<FeatureRow> serializer =
            FeatureRowTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());

    @Test
    void roundTripsEveryValueType() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", Long.MIN_VALUE);
        values.put("amount", Double.NaN);
        values.put("country", "Ünïcode");
        values.put("novel", true);
        values.put("small", 7);
        values.put("ratio", 0.5f);
        FeatureRow row = new FeatureRow("ct_1", Instant.parse("2026-11-26T10:15:30.123456789Z"), values);

        FeatureRow back = roundTrip(row);

        assertThat(back).isEqualTo(row);
        assertThat(back.values().get("count")).isInstanceOf(Long.class);
        assertThat(back.values().get("small")).isInstanceOf(Integer.class);
        assertThat(back.values().get("ratio")).isInstanceOf(Float.class);
    }

    @Test
    void copiesRecordsBetweenStreamsWithoutLosingThem() throws IOException {
        FeatureRow row = new FeatureRow("ct_2", Instant.EPOCH, Map.of("count", 1L));
        DataOutputSerializer first = new DataOutputSerializer(64);
        serializer.serialize(row, first);
        DataOutputSerializer second = new DataOutputSerializer(64);

        serializer.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);

        assertThat(serializer.deserialize(new DataInputDeserializer(second.getCopyOfBuffer()))).isEqualTo(row);
    }

    @Test
    void refusesValuesItCannotRestore() {
        FeatureRow row = new FeatureRow("ct_3", Instant.EPOCH, Map.of("when", Instant.EPOCH));

        assertThatThrownBy(() -> serializer.serialize(row, new DataOutputSerializer(64)))
                .isInstanceOf(IOException.class).hasMessageContaining("when");
    }

    @Test
    void restoresFromItsSnapshotAsCompatible() throws IOException {
        TypeSerializerSnapshot<FeatureRow> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

        TypeSerializerSnapshot<FeatureRow> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<FeatureRow> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void sinkTravelsAsJavaSerializedConfiguration() throws Exception {
        FeatureStoreSink sink = new FeatureStoreSink(FraudFeatures.CARD_VELOCITY,
                FeatureStoreConnection.local("mlplatform")).withMaxBufferedRows(7);

        FeatureStoreSink copy = InstantiationUtil.clone(sink);

        assertThat(copy.view()).isEqualTo(FraudFeatures.CARD_VELOCITY);
        assertThat(copy.toString()).isEqualTo(sink.toString());
    }

    private FeatureRow roundTrip(FeatureRow row) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(row, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
