package io.sluice.operator.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.junit.jupiter.api.Test;

/** A User's quotas as Kafka's quota keys, and the changes that make the cluster's quotas the spec's. */
class UserQuotasTest {

    @Test
    void theSpecsQuotasAreKafkasKeys() {
        UserSpec.Quotas quotas = new UserSpec.Quotas();
        quotas.setProducerByteRate(1_048_576L);
        quotas.setConsumerByteRate(2_097_152L);
        quotas.setRequestPercentage(150);
        quotas.setControllerMutationRate(2.5);

        assertThat(UserQuotas.values(quotas)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "producer_byte_rate", 1_048_576.0, "consumer_byte_rate", 2_097_152.0, "request_percentage", 150.0,
                "controller_mutation_rate", 2.5));
        assertThat(UserQuotas.problems(quotas)).as("above 100 % is a share of more than one thread, as in Kafka")
                .isEmpty();
        assertThat(UserQuotas.values(null)).isEmpty();
        assertThat(UserQuotas.values(new UserSpec.Quotas())).isEmpty();
    }

    @Test
    void newAndChangedQuotasAreSetAndTheOnesDroppedFromTheSpecRemoved() {
        Map<String, Double> existing = Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 2048.0,
                "request_percentage", 50.0);
        Map<String, Double> wanted = Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 4096.0,
                "controller_mutation_rate", 10.0);

        assertThat(UserQuotas.changes(existing, wanted)).containsExactlyInAnyOrder(
                new ClientQuotaAlteration.Op("consumer_byte_rate", 4096.0),
                new ClientQuotaAlteration.Op("controller_mutation_rate", 10.0),
                new ClientQuotaAlteration.Op("request_percentage", null));
        assertThat(UserQuotas.changes(wanted, wanted)).isEmpty();
        assertThat(UserQuotas.changes(existing, Map.of())).containsExactlyInAnyOrder(
                new ClientQuotaAlteration.Op("producer_byte_rate", null),
                new ClientQuotaAlteration.Op("consumer_byte_rate", null),
                new ClientQuotaAlteration.Op("request_percentage", null));
    }

    @Test
    void quotasNotAboveZeroAreProblemsNamingTheirField() {
        UserSpec.Quotas quotas = new UserSpec.Quotas();
        quotas.setProducerByteRate(0L);
        quotas.setControllerMutationRate(-0.5);

        assertThat(UserQuotas.problems(quotas)).containsExactly("quotas.producerByteRate is 0 but must be above 0",
                "quotas.controllerMutationRate is -0.5 but must be above 0");
    }
}
