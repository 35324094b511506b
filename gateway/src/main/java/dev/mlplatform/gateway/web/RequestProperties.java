package dev.mlplatform.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and logging for requests passing through.
 *
 * @param maxBodySize the body limit of routes that declare no {@code max-body-size} metadata
 * @param accessLog   one structured log line per request; off by default because at thousands of requests per
 *                    second the console becomes the bottleneck
 */
@ConfigurationProperties("platform.gateway.request")
record RequestProperties(@DefaultValue("10MB") DataSize maxBodySize, @DefaultValue("false") boolean accessLog) {
}
