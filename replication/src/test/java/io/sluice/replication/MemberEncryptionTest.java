package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.ObjectMessage;
import org.jgroups.Receiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.security.MemberCredential;

/** Real channels on loopback with the production stack: only nodes holding the member key form a cluster. */
class MemberEncryptionTest {

    private final List<JChannel> channels = new ArrayList<>();
    private final int[] ports = MemberPorts.free(4);

    @AfterEach
    void close() {
        channels.forEach(JChannel::close);
    }

    /**
     * Every node but the first starts alone (it lists only itself), so it forms its own cluster at once and only
     * MERGE3 can bring it in. The one with the members' key is merged in; the ones with another key or none, started
     * after it, are not in the same time. (Started together, a stranger whose address sorts first would lead the
     * merge and its requests would be dropped: a stranger can hold up a merge, not join one.)
     */
    @Test
    void onlyANodeWithTheMembersKeyIsMergedInAndReadsTheirMessages() throws Exception {
        MemberCredential key = new MemberCredential(MemberCredential.newSecret());
        JChannel member = join(0, true, Optional.of(key));
        JChannel newcomer = join(1, false, Optional.of(key));
        List<Object> received = new CopyOnWriteArrayList<>();
        newcomer.setReceiver(new Receiver() {
            @Override
            public void receive(Message message) {
                received.add(message.getObject());
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> member.getView().containsMember(newcomer.getAddress()));
        member.send(new ObjectMessage(newcomer.getAddress(), "hello"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("hello"));

        JChannel stranger = join(2, false, Optional.of(new MemberCredential(MemberCredential.newSecret())));
        JChannel plain = join(3, false, Optional.empty());
        // Longer than the newcomer took (about 10 s): what merged it would have merged these too.
        Thread.sleep(15_000);

        assertThat(member.getView().getMembers()).containsExactlyInAnyOrder(member.getAddress(),
                newcomer.getAddress());
        assertThat(stranger.getView().getMembers()).containsExactly(stranger.getAddress());
        assertThat(plain.getView().getMembers()).containsExactly(plain.getAddress());
    }

    /** @param seesAll whether its initial hosts are every node's, or only its own */
    private JChannel join(int index, boolean seesAll, Optional<MemberCredential> member) throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int port : seesAll ? ports : new int[] { ports[index] }) {
            hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1[").append(port).append(']');
        }
        NodeSettings node = new NodeSettings("node-" + index, "encryption-test", Path.of("unused"), "127.0.0.1",
                ports[index], hosts.toString(), Optional.empty(), member);
        JChannel channel = JGroupsStacks.configurator("test", node, UUID.randomUUID()).createChannel("test");
        synchronized (channels) {
            channels.add(channel);
        }
        channel.connect("encryption-test");
        return channel;
    }
}
