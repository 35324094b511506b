package dev.mlplatform.jobs.fraud;

import static dev.mlplatform.jobs.fraud.VelocityFunctionTest.row;
import static dev.mlplatform.jobs.fraud.Transactions.AMEX;
import static dev.mlplatform.jobs.fraud.Transactions.MASTERCARD;
import static dev.mlplatform.jobs.fraud.Transactions.VISA;
import static dev.mlplatform.jobs.fraud.Transactions.json;
import static dev.mlplatform.jobs.fraud.Transactions.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.FraudLabel;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.featurestore.definitions.FraudFeatures;
import dev.mlplatform.featurestore.definitions.MerchantRisk;
import dev.mlplatform.featurestore.definitions.WindowedVelocity.Tally;
import dev.mlplatform.featurestore.registry.FeatureRow;
import dev.mlplatform.featurestore.registry.FeatureView;
import dev.mlplatform.jobs.common.DeadLetter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster at parallelism 2, fed out-of-order transactions from a bounded source: the
 * card velocity row by row, a merchant's risk from its payments and a fraud label, and what becomes of records
 * that are no transactions or labels.
 */
class FraudFeatureJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void computesExactVelocityIncludingExpiryUpdatesAndDivertsBadRecords() throws Exception {
        List<String> records = List.of(
                json("v-3", VISA, T0.plusSeconds(40), "30.00"),
                json("m-1", MASTERCARD, T0.plusSeconds(600), "5.00"),
                "{\"transactionId\": \"broken\", \"cardNumber\": \"" + AMEX + "\"",
                json("v-1", VISA, T0, "10.00"),
                json("m-2", MASTERCARD, T0.plusSeconds(600), "7.00"),
                json("bad-currency", VISA, T0, "1.00").replace("\"EUR\"", "\"ZZZ\""),
                json("m-0", MASTERCARD, T0.plusSeconds(540), "1.00"),
                json("v-2", VISA, T0.plusSeconds(20), "20.00"));
        DataGeneratorSource<String> source = new DataGeneratorSource<>(
                index -> records.get(index.intValue()), records.size(), Types.STRING);
        String visaMerchant = Transactions.merchantOf(VISA);
        FraudLabel fraud = new FraudLabel("v-2", visaMerchant, T0.plusSeconds(20), T0.plus(Duration.ofDays(2)));
        List<String> labelRecords = List.of(EventJson.MAPPER.writeValueAsString(fraud),
                "{\"transactionId\": \"v-1\", \"merchantId\": \"" + visaMerchant + "\"}");
        DataGeneratorSource<String> labels = new DataGeneratorSource<>(
                index -> labelRecords.get(index.intValue()), labelRecords.size(), Types.STRING);
        Map<FeatureView, CollectingSink<FeatureRow>> features = CollectingSink.forEachView();
        CollectingSink<TransactionEvent> late = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        // The bound covers the whole data set, so no event can be late however the two source
        // subtasks interleave: lateness is proven where the watermark is under control (the harness
        // test and FraudFeatureKafkaIT). End of input moves the watermark to the end of time, which
        // fires every expiry update.
        FraudFeatureJob job = new FraudFeatureJob(source, labels, features, late, deadLetters,
                Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(1));
        CollectingSink<FeatureRow> cardVelocity = features.get(FraudFeatures.CARD_VELOCITY);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        job.execute(env);

        String visa = token(VISA);
        assertThat(cardVelocity.received()).filteredOn(r -> r.entityId().equals(visa)).containsExactly(
                row(visa, T0, 1, 10.0, 1, 10.0, 1, 10.0),
                row(visa, T0.plusSeconds(20), 2, 30.0, 2, 30.0, 2, 30.0),
                row(visa, T0.plusSeconds(40), 3, 60.0, 3, 60.0, 3, 60.0),
                row(visa, T0.plusSeconds(60), 2, 50.0, 3, 60.0, 3, 60.0),
                row(visa, T0.plusSeconds(80), 1, 30.0, 3, 60.0, 3, 60.0),
                row(visa, T0.plusSeconds(100), 0, 0.0, 3, 60.0, 3, 60.0),
                row(visa, T0.plusSeconds(300), 0, 0.0, 2, 50.0, 3, 60.0),
                row(visa, T0.plusSeconds(320), 0, 0.0, 1, 30.0, 3, 60.0),
                row(visa, T0.plusSeconds(340), 0, 0.0, 0, 0.0, 3, 60.0),
                row(visa, T0.plusSeconds(3600), 0, 0.0, 0, 0.0, 2, 50.0),
                row(visa, T0.plusSeconds(3620), 0, 0.0, 0, 0.0, 1, 30.0),
                row(visa, T0.plusSeconds(3640), 0, 0.0, 0, 0.0, 0, 0.0));

        String mastercard = token(MASTERCARD);
        List<FeatureRow> mastercardRows = cardVelocity.received().stream().filter(r -> r.entityId().equals(mastercard)).toList();
        assertThat(mastercardRows).contains(row(mastercard, T0.plusSeconds(600), 2, 12.0, 3, 13.0, 3, 13.0));
        assertThat(mastercardRows).containsExactlyElementsOf(FraudFeatures.cardVelocity().replay(mastercard, List.of(
                new Tally(T0.plusSeconds(600).toEpochMilli(), 2, 1200),
                Tally.of(T0.plusSeconds(540), new BigDecimal("1.00")))));

        assertThat(cardVelocity.received()).extracting(FeatureRow::entityId).containsOnly(visa, mastercard);
        // The merchant's payments and the fraud among them are known a week later, and forgotten 30 days after that.
        List<Long> visaPayments = List.of(T0.toEpochMilli(), T0.plusSeconds(20).toEpochMilli(), T0.plusSeconds(40).toEpochMilli());
        List<FeatureRow> visaRisk = MerchantRisk.replay(visaMerchant, visaPayments, List.of(fraud));
        assertThat(features.get(FraudFeatures.MERCHANT_RISK).received()).filteredOn(r -> r.entityId().equals(visaMerchant))
                .containsExactlyElementsOf(visaRisk);
        assertThat(visaRisk.get(0).values()).containsEntry("known_tx_1d", 3L).containsEntry("known_frauds_1d", 1L);

        assertThat(late.received()).isEmpty();
        assertThat(deadLetters.received()).extracting(DeadLetter::error).satisfiesExactlyInAnyOrder(
                error -> assertThat(error).startsWith("malformed JSON: Unexpected end-of-input"),
                error -> assertThat(error).isEqualTo("invalid transaction: currency unknown ISO 4217 currency code 'ZZZ'"),
                error -> assertThat(error).isEqualTo("fraud label: transactionTime is required; reportedAt is required"));
        assertThat(deadLetters.received()).extracting(DeadLetter::payload)
                .allSatisfy(payload -> assertThat(payload).doesNotContain(AMEX, VISA));
    }
}
