package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.Util;
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
            CompletableFuture<Void> connected = connecting(joining);
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

    /**
     * A node killed and started again at once, under its former address, is back in the view while the others still
     * keep their connections to its former self. It must be answered at once, however many messages its former self
     * acknowledged: UNICAST3 took its requests for the first message of a connection as older than its former self's
     * acknowledgements, and left its JOIN's answer unread until its counter caught up (79 s in a StoreTransferIT run).
     */
    @Test
    void aNodeBackUnderItsFormerAddressWithinTheCloseTimeoutIsAnsweredAtOnce() throws Exception {
        int[] ports = MemberPorts.free(2);
        String hosts = "127.0.0.1[" + ports[0] + "],127.0.0.1[" + ports[1] + "]";
        UUID address = UUID.randomUUID();
        try (JChannel member = channel("member", ports[0], hosts)) {
            member.connect("joining-test");
            JChannel former = channel("restarted", ports[1], hosts, address);
            BlockingQueue<Object> received = new LinkedBlockingQueue<>();
            former.setReceiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    received.add(message.getObject());
                }
            });
            RestartSafeUnicast formerUnicast = former.getProtocolStack().findProtocol(RestartSafeUnicast.class);
            // Every message acknowledged at once, not at the next retransmission round: the counter of a busy node.
            formerUnicast.setAckThreshold(1);
            former.connect("joining-test");
            for (int i = 0; i < 100; i++) {
                member.send(former.getAddress(), i);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(i);
            }
            assertThat(formerUnicast.getTimestamper()).as("acknowledgements of the former self").isGreaterThan(50);

            try (JChannel restarted = channel("restarted", ports[1], hosts, address)) {
                Util.shutdown(former);
                await().atMost(Duration.ofSeconds(10)).until(() -> member.getView().size() == 1);
                // Without the fix it joined after 3 min 22 s: two seconds a request, until the counter passed 101.
                connecting(restarted).get(10, TimeUnit.SECONDS);
                assertThat(restarted.getView().getMembers()).containsExactlyInAnyOrder(member.getAddress(),
                        restarted.getAddress());
            }
        }
    }

    /** Connects the channel in the background: a JOIN can go unanswered for as long as a test lets it. */
    private static CompletableFuture<Void> connecting(JChannel channel) {
        return CompletableFuture.runAsync(() -> {
            try {
                channel.connect("joining-test");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static JChannel channel(String name, int port, String hosts) throws Exception {
        return channel(name, port, hosts, UUID.randomUUID());
    }

    private static JChannel channel(String name, int port, String hosts, UUID address) throws Exception {
        NodeSettings node = new NodeSettings(name, "joining-test", Path.of("unused"), "127.0.0.1", port, hosts,
                Optional.empty());
        JChannel channel = JGroupsStacks.configurator("test", node, address).createChannel("test");
        channel.setName(name);
        return channel;
    }
}
