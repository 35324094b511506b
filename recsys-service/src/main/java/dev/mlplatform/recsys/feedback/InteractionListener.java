package dev.mlplatform.recsys.feedback;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.core.events.JsonInput;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads every interaction, from REST and from any other producer, for the feedback loop. An event this service
 * cannot read is skipped here: the feature job dead-letters it with the reason, in one place.
 */
@Component
class InteractionListener {

    private static final Logger log = LoggerFactory.getLogger(InteractionListener.class);

    private final FeedbackProcessor feedback;
    private final Clock clock;

    InteractionListener(FeedbackProcessor feedback, Clock clock) {
        this.feedback = feedback;
        this.clock = clock;
    }

    @KafkaListener(id = "recs-feedback", groupId = "recsys-service-feedback", topics = "${recs.topics.interactions}",
            batch = "true")
    void onInteractions(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            InteractionEvent event;
            try {
                event = JsonInput.read(record.value(), InteractionEvent.class,
                        errors -> new IllegalArgumentException(errors.toString()));
            } catch (IllegalArgumentException e) {
                log.debug("skipping unreadable interaction at {}-{}@{}", record.topic(), record.partition(),
                        record.offset());
                continue;
            }
            if (InteractionEvent.validate(event, clock.instant()).isEmpty()) {
                feedback.accept(event);
            }
        }
    }
}
