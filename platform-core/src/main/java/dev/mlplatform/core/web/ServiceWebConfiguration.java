package dev.mlplatform.core.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** What every service's web layer shares; a service imports it ({@code @Import(ServiceWebConfiguration.class)}). */
@Configuration(proxyBeanMethods = false)
public class ServiceWebConfiguration {

    /** First in the chain, so that every later filter's log lines carry the request id. */
    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
