package io.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.Throttles;
import io.sluice.protocol.contract.SecurityFeed;

/** Whose quotas an HTTP caller is held to. */
class HttpCallerTest {

    private static final String RATE = ClientQuotas.PRODUCER_BYTE_RATE;

    @Test
    void aCallerHasItsUsersQuotasAndTheDefaultClientIdsButNoKafkaClientIds() {
        Throttles throttles = new Throttles(() -> new ClientQuotas(List.of(
                new SecurityFeed.Quota("ivan", SecurityFeed.Quota.DEFAULT, Map.of(RATE, 1_000.0)),
                new SecurityFeed.Quota(null, "kafka-app", Map.of(RATE, 2_000.0)),
                new SecurityFeed.Quota(SecurityFeed.Quota.DEFAULT, null, Map.of(RATE, 3_000.0)))),
                System::currentTimeMillis);

        HttpCaller ivan = new HttpCaller(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "ivan"), null, throttles);
        HttpCaller anonymous = new HttpCaller(KafkaPrincipal.ANONYMOUS, null, throttles);

        assertThat(ivan.quota().atOnce(RATE, 1 << 20)).isEqualTo(1_000);
        assertThat(anonymous.quota().user()).isEqualTo("ANONYMOUS");
        assertThat(anonymous.quota().atOnce(RATE, 1 << 20)).isEqualTo(3_000);
    }
}
