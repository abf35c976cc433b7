package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;

class JoiningTest {

    /**
     * A node that found the others but hears no answer to its JOIN (here its stack drops every message that reaches
     * GMS) goes on asking. After ten tries JGroups would have made it a cluster of its own, whose caches take writes the
     * others never see: a broker restarted at once after its kill did so, and a topic's records written to it were lost.
     */
    @Test
    void aNodeWhoseJoinGoesUnansweredKeepsAskingAndNeverFormsAClusterOfItsOwn() throws Exception {
        int[] ports = MemberPorts.free(2);
        String hosts = "127.0.0.1[" + ports[0] + "],127.0.0.1[" + ports[1] + "]";
        try (JChannel member = channel("member", ports[0], hosts)) {
            member.connect("joining-test");
            JChannel joining = channel("joining", ports[1], hosts);
            // Ten tries take 2 s instead of 20.
            joining.getProtocolStack().<GMS> findProtocol(GMS.class).setJoinTimeout(200);
            DISCARD deaf = new DISCARD().setUpDiscardRate(1);
            joining.getProtocolStack().insertProtocol(deaf, ProtocolStack.Position.BELOW, GMS.class);
            CompletableFuture<Void> connected = CompletableFuture.runAsync(() -> {
                try {
                    joining.connect("joining-test");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (joining) {
                Thread.sleep(Duration.ofSeconds(4).toMillis());
                assertThat(connected).as("still asking after 20 unanswered JOINs").isNotDone();
                assertThat((Object) joining.getView()).isNull();

                deaf.setUpDiscardRate(0);
                connected.get(10, TimeUnit.SECONDS);
                assertThat(joining.getView().getMembers()).containsExactlyInAnyOrder(member.getAddress(),
                        joining.getAddress());
            }
        }
    }

    private static JChannel channel(String name, int port, String hosts) throws Exception {
        NodeSettings node = new NodeSettings(name, "joining-test", Path.of("unused"), "127.0.0.1", port, hosts,
                Optional.empty());
        JChannel channel = JGroupsStacks.configurator("test", node, UUID.randomUUID()).createChannel("test");
        channel.setName(name);
        return channel;
    }
}
