package dev.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.EventJson;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

    @Test
    void stampsTransactionsNowWithIdsOfThisRunThatTheApiAccepts() {
        try (Traffic traffic = new Traffic("demo-20261126T101530-ab12", 42, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                Traffic.Outgoing tx = traffic.next(i % 2 == 0 ? Traffic.Path.KAFKA : Traffic.Path.REST);
                TransactionEvent parsed = EventJson.MAPPER.readValue(tx.json(), TransactionEvent.class);

                assertThat(parsed.timestamp()).isEqualTo(NOW);
                assertThat(TransactionValidator.validate(parsed, NOW)).isEmpty();
                assertThat(tx.json()).doesNotContain("null").doesNotContain("cardToken");
                assertThat(tx.sequence()).isEqualTo(i);
                ids.add(parsed.transactionId());
                Traffic.Sent sent = traffic.parse(parsed.transactionId());
                assertThat(sent.sequence()).isEqualTo(i);
                assertThat(sent.path()).isEqualTo(i % 2 == 0 ? Traffic.Path.KAFKA : Traffic.Path.REST);
            }
            assertThat(ids).hasSize(500);
        }
    }

    @Test
    void keysKafkaRecordsByCardTokenNeverByCardNumber() {
        try (Traffic traffic = new Traffic("bench-x", 1, Clock.systemUTC())) {
            Traffic.Outgoing tx = traffic.next(Traffic.Path.KAFKA);
            assertThat(tx.cardKey()).startsWith("ct_").doesNotContain(tx.event().cardNumber());
            assertThat(traffic.next(Traffic.Path.KAFKA).cardKey()).hasSize(tx.cardKey().length());
        }
    }

    @Test
    void recognisesOnlyIdsOfItsOwnRun() {
        try (Traffic traffic = new Traffic("demo-1", 1, Clock.systemUTC())) {
            assertThat(traffic.parse("demo-1-k-17")).isEqualTo(new Traffic.Sent(Traffic.Path.KAFKA, 17));
            assertThat(traffic.parse("demo-1-r-0")).isEqualTo(new Traffic.Sent(Traffic.Path.REST, 0));
            assertThat(traffic.parse("demo-2-k-17")).isNull();
            assertThat(traffic.parse("demo-1-x-17")).isNull();
            assertThat(traffic.parse("demo-1-k-seventeen")).isNull();
            assertThat(traffic.parse("tx-000001")).isNull();
            assertThat(traffic.parse(null)).isNull();
        }
    }

    @Test
    void runIdsNameTheKindAndTimeAndDifferBetweenRuns() {
        String first = Traffic.newRunId("bench", NOW);
        assertThat(first).matches("bench-20261126T101530-[0-9a-f]{4}");
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            many.add(Traffic.newRunId("bench", NOW));
        }
        assertThat(many.size()).isGreaterThan(40);
    }
}
