package dev.mlplatform.fraud.scoring;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.core.events.JsonInput;
import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionValidator.FieldError;
import dev.mlplatform.core.events.TransactionValidator;
import java.time.Clock;
import java.util.List;

/**
 * The door every transaction passes, REST or Kafka: checked field by field (the same rules on both
 * paths, so that a record the API would refuse reaches the dead-letter topic with the same message),
 * then tokenised, so that nothing after this point ever holds a card number.
 */
public final class TransactionIntake {

    private final CardTokenizer tokenizer;
    private final Clock clock;

    public TransactionIntake(CardTokenizer tokenizer, Clock clock) {
        this.tokenizer = tokenizer;
        this.clock = clock;
    }

    /** The valid, tokenised transaction. @throws InvalidTransactionException naming every field at fault */
    public TransactionEvent accept(TransactionEvent transaction) {
        List<FieldError> errors = TransactionValidator.validate(transaction, clock.instant());
        if (!errors.isEmpty()) {
            throw new InvalidTransactionException(errors);
        }
        return transaction.tokenized(tokenizer);
    }

    /** A {@code fraud.transactions.v1} record's value, read strictly, checked and tokenised. */
    public TransactionEvent acceptJson(byte[] json) {
        return accept(JsonInput.read(json, TransactionEvent.class, InvalidTransactionException::new));
    }

    /** The card token of a card number, for blocklists that operators fill. */
    public String tokenOf(String cardNumber) {
        return tokenizer.tokenize(cardNumber);
    }
}
