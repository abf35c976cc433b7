package io.sluice.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed;

/** Which quota a client gets, by Kafka's precedence of entities, and who shares it. */
class ClientQuotasTest {

    private static final String DEFAULT = SecurityFeed.Quota.DEFAULT;
    private static final String RATE = ClientQuotas.PRODUCER_BYTE_RATE;

    private static SecurityFeed.Quota quota(String user, String clientId, double rate) {
        return new SecurityFeed.Quota(user, clientId, Map.of(RATE, rate));
    }

    @Test
    void theMostSpecificEntityWinsAndADefaultAppliesToEachClientOnItsOwn() {
        ClientQuotas quotas = new ClientQuotas(List.of(quota("alice", "etl", 1), quota("alice", DEFAULT, 2),
                quota("alice", null, 3), quota(DEFAULT, "etl", 4), quota(DEFAULT, null, 6), quota(null, "etl", 7),
                quota(null, DEFAULT, 8)));

        assertThat(quotas.limit(RATE, "alice", "etl")).hasValue(new ClientQuotas.Limit("alice", "etl", 1));
        assertThat(quotas.limit(RATE, "alice", "app")).hasValue(new ClientQuotas.Limit("alice", "app", 2));
        assertThat(quotas.limit(RATE, "bob", "etl")).hasValue(new ClientQuotas.Limit("bob", "etl", 4));
        assertThat(quotas.limit(RATE, "bob", "app")).as("the default user's quota, bob's own")
                .hasValue(new ClientQuotas.Limit("bob", null, 6));
        assertThat(quotas.limit(ClientQuotas.CONSUMER_BYTE_RATE, "alice", "etl")).isEmpty();

        ClientQuotas byClient = new ClientQuotas(List.of(quota(null, "etl", 7), quota(null, DEFAULT, 8)));
        assertThat(byClient.limit(RATE, "alice", "etl")).hasValue(new ClientQuotas.Limit(null, "etl", 7));
        assertThat(byClient.limit(RATE, "alice", "app")).hasValue(new ClientQuotas.Limit(null, "app", 8));
        assertThat(new ClientQuotas(List.of(quota("alice", null, 3))).limit(RATE, "bob", "app")).isEmpty();
    }
}
