package dev.mlplatform.gateway.auth;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ApiClientsPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(BindsClients.class);

    @Test
    void refusesToStartWithoutAnyKeyAndSaysHowToSetOne() {
        context.withPropertyValues("platform.gateway.clients.development.key=").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("PLATFORM_API_KEY");
        });
    }

    @Test
    void bindsClientsFromPropertiesAndLeavesOutThoseWithoutKey() {
        context.withPropertyValues("platform.gateway.clients.development.key=",
                "platform.gateway.clients.partner.key=partner-key-0123456789").run(started -> {
                    assertThat(started).hasNotFailed();
                    assertThat(started.getBean(ApiClientsProperties.class).clients()).containsOnlyKeys("partner");
                });
    }

    @Test
    void takesClientsFromTheEnvironmentAsTheLauncherSetsThem() {
        context.withInitializer(started -> started.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("PLATFORM_GATEWAY_CLIENTS_DEVELOPMENT_KEY", "dev-key-0123456789",
                                "PLATFORM_GATEWAY_CLIENTS_PARTNER_KEY", "partner-key-0123456789"))))
                .run(started -> assertThat(started.getBean(ApiClientsProperties.class).clients())
                        .containsOnlyKeys("development", "partner")
                        .containsEntry("partner", new ApiClientsProperties.Client("partner-key-0123456789")));
    }

    @Test
    void refusesShortKeysSharedKeysAndNamesUnfitForRedisKeys() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new ApiClientsProperties(clients("dev", "too-short")))
                .withMessageContaining("shorter than 16");
        Map<String, ApiClientsProperties.Client> shared = clients("one", "same-key-0123456789");
        shared.put("two", new ApiClientsProperties.Client("same-key-0123456789"));
        assertThatIllegalStateException()
                .isThrownBy(() -> new ApiClientsProperties(shared))
                .withMessageContaining("share one API key");
        assertThatIllegalStateException()
                .isThrownBy(() -> new ApiClientsProperties(clients("Bad}Name", "some-key-0123456789")))
                .withMessageContaining("Bad}Name");
    }

    private static Map<String, ApiClientsProperties.Client> clients(String name, String key) {
        Map<String, ApiClientsProperties.Client> clients = new HashMap<>();
        clients.put(name, new ApiClientsProperties.Client(key));
        return clients;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApiClientsProperties.class)
    static class BindsClients {
    }
}
