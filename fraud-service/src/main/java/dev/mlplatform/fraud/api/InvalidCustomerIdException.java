package dev.mlplatform.fraud.api;

/** The customer id in the path is not one the service could have stored. */
final class InvalidCustomerIdException extends RuntimeException {

    InvalidCustomerIdException(String rule) {
        super("customerId " + rule);
    }
}
