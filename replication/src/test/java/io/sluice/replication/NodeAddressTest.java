package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.jgroups.JChannel;
import org.jgroups.util.NameCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAddressTest {

    @Test
    void aNodeKeepsItsAddressAfterACrashTakesANewOneAfterACleanLeaveAndNodesDiffer(@TempDir Path one,
            @TempDir Path other) {
        UUID first = NodeAddress.of(one);
        assertThat(NodeAddress.of(one)).as("after a crash").isEqualTo(first);
        assertThat(NodeAddress.of(other)).isNotEqualTo(first);

        NodeAddress.left(one);
        UUID second = NodeAddress.of(one);
        assertThat(second).as("after a clean leave").isNotEqualTo(first);
        assertThat(NodeAddress.of(one)).as("after a crash again").isEqualTo(second);
    }

    /**
     * Back within a second of leaving the view (as a crash noticed at once would have it), while the other still keeps
     * the connections of its former self: with
     * connection ids counted from 0 like its former self's, its JOIN was dropped as a repeat and it went on alone after
     * ten tries (20 s).
     */
    @Test
    void aNodeBackUnderItsAddressAtOnceAfterLeavingJoinsTheOthers() throws Exception {
        int[] ports = MemberPorts.free(2);
        String hosts = "127.0.0.1[" + ports[0] + "],127.0.0.1[" + ports[1] + "]";
        UUID returning = UUID.randomUUID();
        try (JChannel staying = channel("staying", ports[0], hosts, UUID.randomUUID())) {
            try (JChannel before = channel("returning", ports[1], hosts, returning)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> staying.getView().size() == 2);
                for (int i = 0; i < 20; i++) {
                    staying.send(before.getAddress(), "to its former self " + i);
                    before.send(staying.getAddress(), "from its former self " + i);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> staying.getView().size() == 1);

            long start = System.nanoTime();
            try (JChannel after = channel("returning", ports[1], hosts, returning)) {
                assertThat(after.getView().getMembers()).containsExactly(staying.getAddress(), after.getAddress());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    private static JChannel channel(String name, int port, String hosts, UUID address) throws Exception {
        NodeSettings node = new NodeSettings(name, "return-test", Path.of("unused"), "127.0.0.1", port, hosts,
                Optional.empty());
        JChannel channel = JGroupsStacks.configurator("test", node, address).createChannel("test");
        channel.setName(name);
        channel.connect("return-test");
        return channel;
    }

    @Test
    void theChannelTakesTheNodesAddressAndName() throws Exception {
        int port = MemberPorts.free(1)[0];
        NodeSettings alone = new NodeSettings("solo", "address-test", Path.of("unused"), "127.0.0.1", port,
                "127.0.0.1[" + port + "]", Optional.empty());
        UUID address = UUID.randomUUID();
        try (JChannel channel = JGroupsStacks.configurator("test", alone, address).createChannel("test")) {
            channel.setName("solo");
            channel.connect("address-test");

            org.jgroups.util.UUID bits = (org.jgroups.util.UUID) channel.getAddress();
            assertThat(new UUID(bits.getMostSignificantBits(), bits.getLeastSignificantBits())).isEqualTo(address);
            assertThat(NameCache.get(channel.getAddress())).isEqualTo("solo");
        }
    }
}
