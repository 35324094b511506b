package dev.mlplatform.gateway.auth;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiClientsTest {

    private final ApiClients clients = new ApiClients(new ApiClientsProperties(Map.of(
            "shop", new ApiClientsProperties.Client("shop-key-0123456789"),
            "bank", new ApiClientsProperties.Client("bank-key-0123456789"))));

    @Test
    void findsTheClientAKeyBelongsTo() {
        assertThat(clients.authenticate("shop-key-0123456789")).isEqualTo(new ApiClient("shop"));
        assertThat(clients.authenticate("bank-key-0123456789")).isEqualTo(new ApiClient("bank"));
    }

    @Test
    void findsNobodyForAnAlmostRightKey() {
        assertThat(clients.authenticate("shop-key-012345678")).isNull();
        assertThat(clients.authenticate("shop-key-01234567890")).isNull();
        assertThat(clients.authenticate("SHOP-KEY-0123456789")).isNull();
        assertThat(clients.authenticate("")).isNull();
    }
}
