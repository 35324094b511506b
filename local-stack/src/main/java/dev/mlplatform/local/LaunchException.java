package dev.mlplatform.local;

/** The platform cannot start or stop: the message is for the user and names the fix; no stack trace is shown. */
final class LaunchException extends RuntimeException {

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
