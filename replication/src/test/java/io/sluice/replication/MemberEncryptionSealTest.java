package io.sluice.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jgroups.BytesMessage;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.protocols.pbcast.NakAckHeader2;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.security.MemberCredential;

/**
 * What a member's envelope hides and what tampering gets: the protocol alone, between a stand-in for the protocols
 * below (the network) and one for those above.
 */
class MemberEncryptionSealTest {

    private static final byte[] SECRET_PAYLOAD = "a cache command: put orders-0 chunk 17"
            .getBytes(StandardCharsets.UTF_8);
    private static final short NAKACK_ID = 57;

    private final UUID sender = UUID.randomUUID();
    private final MemberCredential members = new MemberCredential(MemberCredential.newSecret());

    @Test
    void aSealedMessageHidesPayloadAndHeadersAndOpensWhole() throws Exception {
        Node alice = new Node(members);
        Node bob = new Node(members);

        Message envelope = alice.send(message());

        assertThat(contains(envelope.getArray(), SECRET_PAYLOAD)).isFalse();
        Header nakAck = envelope.getHeader(NAKACK_ID);
        assertThat(nakAck).as("the headers of the protocols above travel sealed").isNull();
        assertThat(envelope.isFlagSet(Message.Flag.OOB)).as("the protocols below still see the flags").isTrue();

        Message received = bob.receive(envelope);

        assertThat(received.getArray()).isEqualTo(SECRET_PAYLOAD);
        assertThat(received.getSrc()).isEqualTo(sender);
        assertThat(received.isFlagSet(Message.Flag.OOB)).isTrue();
        assertThat(((NakAckHeader2) received.getHeader(NAKACK_ID)).getSeqno()).isEqualTo(42);
    }

    @Test
    void anAlteredMessageIsDropped() throws Exception {
        Node alice = new Node(members);
        Node bob = new Node(members);

        for (int i = 0; i < alice.send(message()).getLength(); i++) {
            Message envelope = alice.send(message());
            envelope.getArray()[envelope.getOffset() + i] ^= 1;
            assertThat(bob.receive(envelope)).as("byte %d flipped", i).isNull();
        }
        assertThat(bob.encryption.droppedMessages()).isPositive();
    }

    @Test
    void messagesOfAnotherKeyOrNotSealedAreDroppedOneByOneAndInBatches() throws Exception {
        Node member = new Node(members);
        Node stranger = new Node(new MemberCredential(MemberCredential.newSecret()));
        Message forged = stranger.send(message());
        Message plain = message();
        Message genuine = new Node(members).send(message());

        assertThat(member.receive(forged)).isNull();
        assertThat(member.receive(plain)).isNull();

        MessageBatch batch = new MessageBatch(List.of(forged, genuine, plain));
        member.encryption.up(batch);
        assertThat(member.above.batches).singleElement()
                .satisfies(delivered -> assertThat(delivered.stream().map(Message::getArray).toList())
                        .containsExactly(SECRET_PAYLOAD));
        assertThat(member.encryption.droppedMessages()).isEqualTo(4);
    }

    @Test
    void noncesDoNotRepeat() {
        MemberEncryption.Nonces source = new MemberEncryption.Nonces();
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            drawn.add(Base64.getEncoder().encodeToString(source.next()));
        }
        assertThat(drawn).doesNotHaveDuplicates();
    }

    private Message message() {
        return new BytesMessage(null, SECRET_PAYLOAD).setSrc(sender).setFlag(Message.Flag.OOB)
                .putHeader(NAKACK_ID, NakAckHeader2.createMessageHeader(42));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1)
                .contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    /** One member's MemberEncryption between a network that keeps what is sent and protocols that keep what arrives. */
    private static final class Node {

        final MemberEncryption encryption = new MemberEncryption();
        final Above above = new Above();
        final Network network = new Network();

        Node(MemberCredential credential) throws Exception {
            encryption.member_key = Base64.getEncoder().encodeToString(credential.jgroupsKey().getEncoded());
            encryption.setDownProtocol(network);
            encryption.setUpProtocol(above);
            encryption.init();
        }

        Message send(Message message) {
            encryption.down(message);
            return network.sent.remove(0);
        }

        Message receive(Message envelope) {
            encryption.up(envelope);
            return above.received.isEmpty() ? null : above.received.remove(0);
        }
    }

    private static final class Network extends Protocol {
        final List<Message> sent = new ArrayList<>();

        @Override
        public Object down(Message message) {
            sent.add(message);
            return null;
        }
    }

    private static final class Above extends Protocol {
        final List<Message> received = new ArrayList<>();
        final List<MessageBatch> batches = new ArrayList<>();

        @Override
        public Object up(Message message) {
            received.add(message);
            return null;
        }

        @Override
        public void up(MessageBatch batch) {
            batches.add(batch);
        }
    }
}
