package io.sluice.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.JGroupsSettings;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.contract.Setting;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;

/**
 * The settings the coordinator's contract names (what the CLI and the operator set) are the ones its configuration
 * mapping reads, by environment variable and by property, and its default ports are the contract's.
 */
class CoordinatorConfigTest {

    private static final JGroupsSettings JGROUPS = CoordinatorContract.JGROUPS;

    /** A value for every setting the contract names, none of them its default. */
    private static final Map<Setting, String> SETTINGS = Map.ofEntries(
            Map.entry(CoordinatorContract.HOST, "10.0.0.5"),
            Map.entry(CoordinatorContract.PORT, "19093"),
            Map.entry(CoordinatorContract.ADVERTISED_HOST, "coordinator-0.coordinators.sluice.svc"),
            Map.entry(CoordinatorContract.REPLICAS, "3"),
            Map.entry(CoordinatorContract.DEFAULT_REPLICATION_FACTOR, "2"),
            Map.entry(CoordinatorContract.ADMIN_USER, "root"),
            Map.entry(CoordinatorContract.ADMIN_PASSWORD, "s3cret"),
            Map.entry(ServiceContract.MEMBER_SECRET, "members-only-secret-0123456789"),
            Map.entry(JGROUPS.bindAddress(), "10.0.0.6"),
            Map.entry(JGROUPS.bindPort(), "17950"),
            Map.entry(JGROUPS.initialHosts(), "coordinator-0[17950],coordinator-1[17950]"),
            Map.entry(JGROUPS.dnsQuery(), "coordinators.sluice.svc"),
            Map.entry(ServiceContract.DATA_DIR, "/var/lib/sluice"));

    @Test
    void everySettingTheContractNamesIsReadFromItsEnvironmentVariable() {
        Map<String, String> environment = SETTINGS.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().env(), Map.Entry::getValue));

        assertReadsEverySetting(CoordinatorConfigs.read(new EnvConfigSource(environment, 300)));
    }

    @Test
    void everySettingTheContractNamesIsReadFromItsProperty() {
        Map<String, String> properties = SETTINGS.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().property(), Map.Entry::getValue));

        assertReadsEverySetting(CoordinatorConfigs.read(new PropertiesConfigSource(properties, "contract", 300)));
    }

    @Test
    void theDefaultPortsAreTheContracts() {
        CoordinatorConfig.Coordinator config = CoordinatorConfigs.read().coordinator();

        assertThat(config.port()).isEqualTo(CoordinatorContract.KAFKA_PORT);
        assertThat(config.jgroups().bindPort()).isEqualTo(CoordinatorContract.JGROUPS_PORT);
        assertThat(config.jgroups().initialHosts()).isEqualTo("127.0.0.1[" + CoordinatorContract.JGROUPS_PORT + "]");
        assertThat(config.jgroups().dnsQuery()).isEmpty();
        assertThat(config.replicas()).isEqualTo(1);
    }

    @Test
    void theBootstrapAdminIsCalledAdminAndHasNoPasswordUnlessOneIsSet() {
        CoordinatorConfig.Security security = CoordinatorConfigs.read().security();

        assertThat(security.adminUser()).isEqualTo("admin");
        assertThat(security.adminPassword()).isEmpty();
        assertThat(security.maxAcls()).isEqualTo(100_000);
        assertThat(security.maxAclDeletions()).isEqualTo(10_000);
    }

    @Test
    void theClusterHoldsFiftyThousandPartitionsUnlessToldOtherwise() {
        assertThat(CoordinatorConfigs.read().coordinator().maxPartitions()).isEqualTo(50_000);
        assertThat(CoordinatorConfigs.read(new PropertiesConfigSource(
                Map.of("sluice.coordinator.max-partitions", "1000"), "test", 300)).coordinator().maxPartitions())
                .isEqualTo(1_000);
    }

    @Test
    void committedOffsetsAreKeptAsLongAsKafkaKeepsThemUnlessToldOtherwise() {
        CoordinatorConfig.Groups groups = CoordinatorConfigs.read().coordinator().groups();

        assertThat(groups.offsetsRetention()).isEqualTo(Duration.ofMinutes(10080));
        assertThat(groups.offsetsRetentionCheckInterval()).isEqualTo(Duration.ofMillis(600_000));
        assertThat(CoordinatorConfigs.read(new PropertiesConfigSource(
                Map.of("sluice.coordinator.groups.offsets-retention", "1d"), "test", 300)).coordinator().groups()
                .offsetsRetention()).isEqualTo(Duration.ofDays(1));
    }

    private static void assertReadsEverySetting(CoordinatorConfig config) {
        CoordinatorConfig.Coordinator coordinator = config.coordinator();
        assertThat(config.security().memberSecret()).contains("members-only-secret-0123456789");
        assertThat(coordinator.host()).isEqualTo("10.0.0.5");
        assertThat(coordinator.port()).isEqualTo(19093);
        assertThat(coordinator.advertisedHost()).isEqualTo("coordinator-0.coordinators.sluice.svc");
        assertThat(coordinator.replicas()).isEqualTo(3);
        assertThat(coordinator.defaultReplicationFactor()).isEqualTo(2);
        assertThat(coordinator.jgroups().bindAddress()).isEqualTo("10.0.0.6");
        assertThat(coordinator.jgroups().bindPort()).isEqualTo(17950);
        assertThat(coordinator.jgroups().initialHosts()).isEqualTo("coordinator-0[17950],coordinator-1[17950]");
        assertThat(coordinator.jgroups().dnsQuery()).contains("coordinators.sluice.svc");
        assertThat(config.security().adminUser()).isEqualTo("root");
        assertThat(config.security().adminPassword()).contains("s3cret");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/sluice"));
    }
}
