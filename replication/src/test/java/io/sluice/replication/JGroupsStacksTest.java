package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.IpAddress;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.JGroupsSettings;

/** The JGroups stack as built from the XML file, with either discovery, without connecting. */
class JGroupsStacksTest {

    private static JGroupsChannelConfigurator stack(Optional<String> dnsQuery) {
        return JGroupsStacks.configurator("test", new NodeSettings("node", "test", Path.of("data"), "127.0.0.1", 7801,
                "127.0.0.1[7800],127.0.0.1[7801]", dnsQuery), UUID.randomUUID());
    }

    @Test
    void staticDiscoveryBindsThisNodeAndKnowsItsPeers() throws Exception {
        try (JChannel channel = stack(Optional.empty()).createChannel("store")) {
            TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
            assertThat(tcp.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(tcp.getBindPort()).isEqualTo(7801);
            assertThat(channel.getProtocolStack().<TCPPING> findProtocol(TCPPING.class).getInitialHosts())
                    .containsExactly(new IpAddress(new InetSocketAddress("127.0.0.1", 7800)),
                            new IpAddress(new InetSocketAddress("127.0.0.1", 7801)));
            assertThat(channel.getProtocolStack().<DNS_PING> findProtocol(DNS_PING.class)).isNull();
        }
    }

    @Test
    void dnsQuerySwitchesToDnsDiscovery() throws Exception {
        Optional<String> query = Optional.of("sluice-brokers.sluice.svc.cluster.local");
        try (JChannel channel = stack(query).createChannel("store")) {
            assertThat(channel.getProtocolStack().<DNS_PING> findProtocol(DNS_PING.class).getDNSQuery())
                    .isEqualTo("sluice-brokers.sluice.svc.cluster.local");
            assertThat(channel.getProtocolStack().<TCPPING> findProtocol(TCPPING.class)).isNull();
            assertThat(channel.getProtocolStack().<TCP> findProtocol(TCP.class).getBindPort()).isEqualTo(7801);
        }
    }

    @Test
    void aNodeWithPeersLooksForThemBeforeFormingItsOwnCluster() throws Exception {
        try (JChannel channel = stack(Optional.empty()).createChannel("store")) {
            assertThat(channel.getProtocolStack().<GMS> findProtocol(GMS.class).getJoinTimeout()).isEqualTo(2_000);
        }
    }

    @Test
    void aNodeThatIsItsOnlyInitialHostFormsItsClusterWithoutWaitingForDiscovery() throws Exception {
        NodeSettings alone = new NodeSettings("solo", "test", Path.of("data"), "127.0.0.1", 7801, " 127.0.0.1[7801] ",
                Optional.empty());
        assertThat(alone.onlyInitialHostIsItself()).isTrue();
        try (JChannel channel = JGroupsStacks.configurator("test", alone, UUID.randomUUID()).createChannel("store")) {
            assertThat(channel.getProtocolStack().<GMS> findProtocol(GMS.class).getJoinTimeout()).isEqualTo(100);
        }
    }

    @Test
    void onlyTheNodeItselfAsInitialHostCountsAsAlone() {
        assertThat(settings("127.0.0.1[7800]", Optional.empty()).onlyInitialHostIsItself()).isFalse();
        assertThat(settings("127.0.0.1[7801],127.0.0.1[7800]", Optional.empty()).onlyInitialHostIsItself()).isFalse();
        assertThat(settings("127.0.0.1[7801]", Optional.of("sluice-brokers.sluice.svc")).onlyInitialHostIsItself())
                .as("DNS discovery may find peers").isFalse();
    }

    private static NodeSettings settings(String initialHosts, Optional<String> dnsQuery) {
        return new NodeSettings("node", "test", Path.of("data"), "127.0.0.1", 7801, initialHosts, dnsQuery);
    }

    @Test
    void failureDetectionIsTunedForSecondsNotTheDefaultMinute() throws Exception {
        try (JChannel channel = stack(Optional.empty()).createChannel("store")) {
            assertThat(channel.getProtocolStack().<FD_ALL3> findProtocol(FD_ALL3.class).getTimeout()).isEqualTo(5_000);
            assertThat(channel.getProtocolStack().<FD_SOCK2> findProtocol(FD_SOCK2.class).getOffset())
                    .isEqualTo(JGroupsSettings.FAILURE_DETECTION_OFFSET);
        }
    }
}
