package dev.mlplatform.core.events;

import java.util.regex.Pattern;

/** Finds what looks like a card number in free text (error messages, unparsable records) and redacts it. */
public final class CardNumbers {

    /** 12 to 19 digits, optionally separated by single spaces or dashes, not part of a longer digit run. */
    private static final Pattern PAN = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){11,18}(?![0-9])");
    private static final String REDACTED = "[card number redacted]";

    private CardNumbers() {
    }

    public static String redact(String text) {
        return text == null ? null : PAN.matcher(text).replaceAll(REDACTED);
    }
}
