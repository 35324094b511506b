package dev.mlplatform.gateway.web;

/** An RFC 9457 problem document as the gateway writes it, with the request id as an extension member. */
record Problem(String type, String title, int status, String detail, String instance, String requestId) {
}
