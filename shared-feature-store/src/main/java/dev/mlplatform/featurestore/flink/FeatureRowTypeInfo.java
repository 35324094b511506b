package dev.mlplatform.featurestore.flink;

import dev.mlplatform.featurestore.registry.FeatureRow;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information for {@link FeatureRow}: give it to the operator that emits rows
 * ({@code .returns(FeatureRowTypeInfo.INSTANCE)}) so that they travel with {@link FeatureRowSerializer}.
 */
public final class FeatureRowTypeInfo extends TypeInformation<FeatureRow> {

    public static final FeatureRowTypeInfo INSTANCE = new FeatureRowTypeInfo();

    private FeatureRowTypeInfo() {
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<FeatureRow> getTypeClass() {
        return FeatureRow.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FeatureRow> createSerializer(SerializerConfig config) {
        return FeatureRowSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FeatureRow";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureRowTypeInfo;
    }

    @Override
    public int hashCode() {
        return FeatureRowTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof FeatureRowTypeInfo;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
