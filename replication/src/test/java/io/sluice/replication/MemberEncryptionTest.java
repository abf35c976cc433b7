package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    private final int[] ports = freePorts(3);

    @AfterEach
    void close() {
        channels.forEach(JChannel::close);
    }

    @Test
    void membersWithTheKeyFormOneClusterAndExchangeMessages() throws Exception {
        MemberCredential member = new MemberCredential(MemberCredential.newSecret());
        JChannel first = join(0, Optional.of(member));
        JChannel second = join(1, Optional.of(member));
        List<Object> received = new CopyOnWriteArrayList<>();
        second.setReceiver(new Receiver() {
            @Override
            public void receive(Message message) {
                received.add(message.getObject());
            }
        });

        await().atMost(Duration.ofSeconds(15)).until(() -> first.getView().size() == 2);
        first.send(new ObjectMessage(second.getAddress(), "hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("hello"));
    }

    @Test
    void nodesWithAnotherKeyOrNoneStayOutside() throws Exception {
        JChannel member = join(0, Optional.of(new MemberCredential(MemberCredential.newSecret())));
        // Unanswered, their join requests are sent again until GMS gives up (about 20 s) and each forms its own.
        CompletableFuture<JChannel> stranger = CompletableFuture.supplyAsync(
                () -> joinUnchecked(1, Optional.of(new MemberCredential(MemberCredential.newSecret()))));
        JChannel plain = join(2, Optional.empty());
        stranger.join();

        // Merges run every 2-5 s, and must be refused too.
        Thread.sleep(6_000);

        assertThat(member.getView().getMembers()).containsExactly(member.getAddress());
        assertThat(stranger.join().getView().getMembers()).containsExactly(stranger.join().getAddress());
        assertThat(plain.getView().getMembers()).containsExactly(plain.getAddress());
    }

    private JChannel joinUnchecked(int index, Optional<MemberCredential> member) {
        try {
            return join(index, member);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JChannel join(int index, Optional<MemberCredential> member) throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int port : ports) {
            hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1[").append(port).append(']');
        }
        NodeSettings node = new NodeSettings("node-" + index, "encryption-test", Path.of("unused"), "127.0.0.1",
                ports[index], hosts.toString(), Optional.empty(), member);
        JChannel channel = JGroupsStacks.configurator("test", node).createChannel("test");
        synchronized (channels) {
            channels.add(channel);
        }
        channel.connect("encryption-test");
        return channel;
    }

    /** Ports free now, each with its failure-detection port (+100) free too. */
    private static int[] freePorts(int count) {
        int[] ports = new int[count];
        int found = 0;
        for (int candidate = 20_000 + (int) (Math.random() * 20_000); found < count; candidate += 7) {
            if (free(candidate) && free(candidate + 100)) {
                ports[found++] = candidate;
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
