package dev.mlplatform.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution of {@link TransactionEvent}: producers of v1 and v2 write to the same topic, so the current
 * code must read every recorded version, write an older event back unchanged, and only ever add optional
 * fields to the shape a version was released with.
 */
class TransactionEventCompatibilityTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void readsAV1EventAsAV2EventWithoutAuthentication() throws IOException {
        TransactionEvent v1 = EventJson.MAPPER.readValue(resource("transaction-v1.json"), TransactionEvent.class);

        assertThat(v1.transactionId()).isEqualTo("tx-000001");
        assertThat(v1.amount()).isEqualByComparingTo(new BigDecimal("42.50"));
        assertThat(v1.location()).isEqualTo(new TransactionEvent.GeoPoint(48.85, 2.35));
        assertThat(v1.authentication()).isNull();
        assertThat(TransactionValidator.validate(v1, NOW)).isEmpty();
    }

    @Test
    void readsAV2EventWithItsAuthentication() throws IOException {
        TransactionEvent v2 = EventJson.MAPPER.readValue(resource("transaction-v2.json"), TransactionEvent.class);

        assertThat(v2.authentication()).isEqualTo("3ds");
        assertThat(v2.tokenized(new CardTokenizer("test-key")).authentication()).isEqualTo("3ds");
        assertThat(TransactionValidator.validate(v2, NOW)).isEmpty();
    }

    @Test
    void writesAV1EventWithoutTheFieldsV1NeverHad() throws IOException {
        TransactionEvent v1 = EventJson.MAPPER.readValue(resource("transaction-v1.json"), TransactionEvent.class);

        String written = EventJson.MAPPER.writeValueAsString(v1);

        assertThat(EventJson.MAPPER.readTree(written).has("authentication")).isFalse();
        assertThat(EventJson.MAPPER.readValue(written, TransactionEvent.class)).isEqualTo(v1);
    }

    @Test
    void writesAV2EventWithItsAuthentication() throws IOException {
        TransactionEvent v2 = EventJson.MAPPER.readValue(resource("transaction-v2.json"), TransactionEvent.class);

        String written = EventJson.MAPPER.writeValueAsString(v2);

        assertThat(EventJson.MAPPER.readTree(written).get("authentication").stringValue()).isEqualTo("3ds");
        assertThat(EventJson.MAPPER.readValue(written, TransactionEvent.class)).isEqualTo(v2);
    }

    @Test
    void onlyAddsOptionalFieldsToTheReleasedV1Shape() throws Exception {
        Map<String, String> released = new LinkedHashMap<>();
        resource("transaction-v1.fields").lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> released.put(line.split(" ")[0], line.split(" ")[1]));
        RecordComponent[] components = TransactionEvent.class.getRecordComponents();
        Map<String, RecordComponent> current = new LinkedHashMap<>();
        Arrays.stream(components).forEach(component -> current.put(component.getName(), component));

        released.forEach((name, type) -> assertThat(current).as("v1 field " + name).containsKey(name));
        released.forEach((name, type) -> assertThat(current.get(name).getType().getSimpleName())
                .as("type of v1 field " + name).isEqualTo(type));
        assertThat(current.keySet().stream().limit(released.size()).toList())
                .as("v1 fields keep their order").containsExactlyElementsOf(released.keySet());
        current.values().stream().filter(component -> !released.containsKey(component.getName()))
                .forEach(added -> {
                    assertThat(added.getType().isPrimitive()).as(added.getName() + " must be optional").isFalse();
                    // Jackson's annotation does not target record components: it lands on the accessor.
                    JsonInclude include = added.getAccessor().getAnnotation(JsonInclude.class);
                    assertThat(include).as(added.getName() + " must be left out when absent").isNotNull();
                    assertThat(include.value()).isEqualTo(JsonInclude.Include.NON_NULL);
                });
    }

    @Test
    void refusesAnUnknownAuthentication() throws IOException {
        String recorded = resource("transaction-v2.json").replace("\"3ds\"", "\"password\"");
        TransactionEvent event = EventJson.MAPPER.readValue(recorded, TransactionEvent.class);

        assertThat(TransactionValidator.validate(event, NOW)).extracting(TransactionValidator.FieldError::field)
                .containsExactly("authentication");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TransactionEventCompatibilityTest.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
