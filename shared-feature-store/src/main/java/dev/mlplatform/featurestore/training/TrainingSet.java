package dev.mlplatform.featurestore.training;

import dev.mlplatform.featurestore.registry.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Point-in-time correct training rows: one per labelled event, in the order of the events, with the
 * feature values that were known strictly before each event.
 *
 * @param viewIds        the feature views joined, as {@code name:vN} (for the model's lineage)
 * @param featureColumns one per feature, {@code <view>__<feature>}, in view then feature order
 * @param featureTypes   the type of each feature column
 * @param extraColumns   the events' own columns, in the first event's order
 * @param rows           one per labelled event
 */
public record TrainingSet(List<String> viewIds, List<String> featureColumns, List<ValueType> featureTypes,
                          List<String> extraColumns, List<Row> rows) {

    public TrainingSet {
        viewIds = List.copyOf(viewIds);
        featureColumns = List.copyOf(featureColumns);
        featureTypes = List.copyOf(featureTypes);
        extraColumns = List.copyOf(extraColumns);
        rows = List.copyOf(rows);
    }

    /**
     * One training example.
     *
     * @param features one value per feature column, {@code null} where no value was known within the
     *                 view's TTL before {@code timestamp}
     */
    public record Row(String entityId, Instant timestamp, double label, Map<String, Object> extras,
                      List<Object> features) {

        /** The value of {@code column} (a feature column of the set), or null. */
        public Object feature(TrainingSet set, String column) {
            int index = set.featureColumns().indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("no feature column " + column + " in " + set.featureColumns());
            }
            return features.get(index);
        }
    }

    /** Every column name in row order: entity id, timestamp, label, extras, features. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(List.of("entity_id", "event_timestamp", "label"));
        names.addAll(extraColumns);
        names.addAll(featureColumns);
        return names;
    }

    /**
     * The feature columns as a dense matrix, one row per event: numbers as they are, booleans as 1 or 0,
     * absent values as {@code absent} (XGBoost takes {@code Float.NaN} as missing).
     *
     * @throws IllegalStateException when a feature column holds strings, which need an encoding first
     */
    public double[][] featureMatrix(double absent) {
        for (int c = 0; c < featureTypes.size(); c++) {
            if (featureTypes.get(c) == ValueType.STRING) {
                throw new IllegalStateException("feature column " + featureColumns.get(c)
                        + " holds strings: encode it before building a numeric matrix");
            }
        }
        double[][] matrix = new double[rows.size()][featureColumns.size()];
        for (int r = 0; r < rows.size(); r++) {
            List<Object> features = rows.get(r).features();
            for (int c = 0; c < features.size(); c++) {
                Object value = features.get(c);
                matrix[r][c] = value == null ? absent
                        : value instanceof Boolean b ? (b ? 1 : 0)
                        : ((Number) value).doubleValue();
            }
        }
        return matrix;
    }

    /** The labels, in row order. */
    public double[] labels() {
        return rows.stream().mapToDouble(Row::label).toArray();
    }
}
