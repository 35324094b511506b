package dev.mlplatform.batch;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The SparkSession of a job run on this machine: local threads, no web UI, UTC, few shuffle partitions. */
public final class LocalSpark {

    private LocalSpark() {
    }

    /**
     * @param master {@code local[N]} or {@code local[*]}; a cluster's master URL works as well, the settings here
     *               being the ones a small local run needs
     */
    public static SparkSession start(String appName, String master) {
        return SparkSession.builder()
                .appName(appName)
                .master(master)
                .config("spark.ui.enabled", false)
                // The default of 200 shuffle partitions is made for clusters: here each would hold a few rows.
                .config("spark.sql.shuffle.partitions", 2 * Runtime.getRuntime().availableProcessors())
                // Lake partitions (dt) and event times are UTC days, whatever the machine's zone.
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** {@code SPARK_MASTER} from the environment, else all cores of this machine. */
    public static String master(Map<String, String> env) {
        String master = env.get("SPARK_MASTER");
        return master == null || master.isBlank() ? "local[*]" : master;
    }
}
