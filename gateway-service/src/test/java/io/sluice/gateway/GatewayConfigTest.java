package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.contract.ServiceContract;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The gateway reads its settings under the names its contract gives the CLI and the operator. */
class GatewayConfigTest {

    private static GatewayConfig configFrom(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withSources(new EnvConfigSource(environment, 300))
                .build()
                .getConfigMapping(GatewayConfig.class);
    }

    @Test
    void environmentVariablesNamedByTheContractsSetTheGateway() {
        GatewayConfig config = configFrom(Map.of(
                ServiceContract.MEMBER_SECRET.env(), "members-only-secret-0123456789",
                GatewayContract.HOST.env(), "10.1.2.3",
                GatewayContract.PORT.env(), "19092",
                GatewayContract.ADVERTISED_HOST.env(), "sluice-gateway.kafka.svc",
                GatewayContract.ADVERTISED_PORT.env(), "29092",
                CoordinatorContract.BOOTSTRAP.env(), "coordinator-0:9193,coordinator-1:9193",
                CoordinatorContract.HTTP_BOOTSTRAP.env(), "coordinator-0:8080,coordinator-1:8080"));

        assertThat(config.gateway().host()).isEqualTo("10.1.2.3");
        assertThat(config.security().memberSecret()).contains("members-only-secret-0123456789");
        assertThat(config.gateway().port()).isEqualTo(19092);
        assertThat(config.gateway().advertisedHost()).isEqualTo("sluice-gateway.kafka.svc");
        assertThat(config.gateway().advertisedPort()).contains(29092);
        assertThat(config.coordinator().bootstrap()).containsExactly("coordinator-0:9193", "coordinator-1:9193");
        assertThat(config.coordinator().httpBootstrap()).containsExactly("coordinator-0:8080", "coordinator-1:8080");
    }

    @Test
    void withoutSettingsTheGatewayListensOnItsContractPortAndFindsTheCoordinatorOnItsOwn() {
        GatewayConfig config = configFrom(Map.of());

        assertThat(config.gateway().host()).isEqualTo("0.0.0.0");
        assertThat(config.gateway().port()).isEqualTo(GatewayContract.KAFKA_PORT);
        assertThat(config.gateway().advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(config.gateway().advertisedPort()).isEmpty();
        assertThat(config.coordinator().bootstrap()).containsExactly("127.0.0.1:" + CoordinatorContract.KAFKA_PORT);
    }

    @Test
    void theHttpApisLimitsHaveDefaultsAndEnvironmentOverrides() {
        GatewayConfig.Http defaults = configFrom(Map.of()).gateway().http();
        GatewayConfig.Http set = configFrom(Map.of("SLUICE_GATEWAY_HTTP_MAX_RECORDS", "50",
                "SLUICE_GATEWAY_HTTP_MAX_READS", "3", GatewayContract.HTTP_AUTHENTICATION.env(), "basic")).gateway()
                .http();

        assertThat(defaults.maxRecords()).isEqualTo(10_000);
        assertThat(defaults.maxRecordSize()).isEqualTo(1 << 20);
        assertThat(defaults.maxFetchBytes()).isEqualTo(8 << 20);
        assertThat(defaults.maxWaitMs()).isEqualTo(30_000);
        assertThat(defaults.maxReads()).isEqualTo(256);
        assertThat(set.maxRecords()).isEqualTo(50);
        assertThat(set.maxReads()).isEqualTo(3);
        assertThat(defaults.authentication()).isEqualTo(GatewayConfig.Authentication.NONE);
        assertThat(set.authentication()).isEqualTo(GatewayConfig.Authentication.BASIC);
    }
}
