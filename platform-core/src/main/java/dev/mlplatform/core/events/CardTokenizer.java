package dev.mlplatform.core.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a card number (PAN) by a keyed HMAC-SHA256 token, so that no raw PAN is stored or logged
 * while the same card still maps to the same key everywhere (features, partitions, decisions).
 * The key comes from the environment; without the key the token cannot be reversed or recomputed.
 */
public final class CardTokenizer {

    /** Environment variable holding the tokenisation key. */
    public static final String KEY_ENV = "CARD_TOKEN_KEY";
    private static final String DEVELOPMENT_KEY = "development-only-card-token-key";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    /** A {@code Mac} is not thread-safe and costly to create: one per thread, reused on the hot path. */
    private final ThreadLocal<Mac> macs;

    public CardTokenizer(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("card token key must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The tokenizer keyed by {@value #KEY_ENV}, or by a development key when it is not set. */
    public static CardTokenizer fromEnvironment() {
        String secret = System.getenv(KEY_ENV);
        return new CardTokenizer(secret == null || secret.isBlank() ? DEVELOPMENT_KEY : secret);
    }

    /** A 32-hex-character token: the first 128 bits of HMAC-SHA256(key, digits of the PAN). */
    public String tokenize(String cardNumber) {
        String digits = cardNumber.replaceAll("[\\s-]", "");
        // doFinal resets the Mac to its initialised state, ready for the next card.
        byte[] digest = macs.get().doFinal(digits.getBytes(StandardCharsets.US_ASCII));
        return "ct_" + HexFormat.of().formatHex(digest, 0, 16);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
