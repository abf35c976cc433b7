package io.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.ServiceContract;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The broker's contract and its config mapping agree: every setting the contract names (as the CLI and the operator
 * set it, by environment variable) reaches the mapping, and the mapping's defaults are the contract's ports.
 */
class BrokerConfigTest {

    private static BrokerConfig configFrom(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withMapping(BrokerConfig.class)
                .withSources(new EnvConfigSource(environment, 300))
                .build()
                .getConfigMapping(BrokerConfig.class);
    }

    @Test
    void everySettingOfTheContractReachesTheMapping() {
        BrokerConfig config = configFrom(Map.ofEntries(
                Map.entry(ServiceContract.MEMBER_SECRET.env(), "members-only-secret-0123456789"),
                Map.entry(BrokerContract.ID.env(), "7"),
                Map.entry(BrokerContract.HOST.env(), "10.0.0.7"),
                Map.entry(BrokerContract.PORT.env(), "19101"),
                Map.entry(BrokerContract.ADVERTISED_HOST.env(), "broker-7.example"),
                Map.entry(BrokerContract.JGROUPS.bindAddress().env(), "SITE_LOCAL"),
                Map.entry(BrokerContract.JGROUPS.bindPort().env(), "17806"),
                Map.entry(BrokerContract.JGROUPS.initialHosts().env(), "a[17800],b[17801]"),
                Map.entry(BrokerContract.JGROUPS.dnsQuery().env(), "brokers.sluice.svc"),
                Map.entry(ServiceContract.DATA_DIR.env(), "/var/lib/sluice"),
                Map.entry(CoordinatorContract.BOOTSTRAP.env(), "c1:19093,c2:19093")));

        BrokerConfig.Broker broker = config.broker();
        assertThat(broker.id()).isEqualTo(7);
        assertThat(broker.host()).isEqualTo("10.0.0.7");
        assertThat(broker.port()).isEqualTo(19101);
        assertThat(broker.advertisedHost()).isEqualTo("broker-7.example");
        assertThat(broker.jgroups().bindAddress()).isEqualTo("SITE_LOCAL");
        assertThat(broker.jgroups().bindPort()).isEqualTo(17806);
        assertThat(broker.jgroups().initialHosts()).isEqualTo("a[17800],b[17801]");
        assertThat(broker.jgroups().dnsQuery()).contains("brokers.sluice.svc");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/sluice"));
        assertThat(config.coordinator().bootstrap()).containsExactly("c1:19093", "c2:19093");
        assertThat(config.security().memberSecret()).contains("members-only-secret-0123456789");
    }

    @Test
    void defaultsAreTheContractsPorts() {
        BrokerConfig config = configFrom(Map.of(BrokerContract.ID.env(), "1"));

        BrokerConfig.Broker broker = config.broker();
        assertThat(broker.port()).isEqualTo(BrokerContract.KAFKA_PORT);
        assertThat(broker.jgroups().bindPort()).isEqualTo(BrokerContract.JGROUPS_PORT);
        assertThat(broker.jgroups().initialHosts()).isEqualTo("127.0.0.1[" + BrokerContract.JGROUPS_PORT + "]");
        assertThat(broker.jgroups().dnsQuery()).isEqualTo(Optional.empty());
        assertThat(config.coordinator().bootstrap()).isEqualTo(List.of("127.0.0.1:" + CoordinatorContract.KAFKA_PORT));
    }
}
