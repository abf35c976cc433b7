package io.sluice.replication;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jgroups.BytesMessage;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.annotations.ManagedAttribute;
import org.jgroups.annotations.Property;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ByteArray;
import org.jgroups.util.FastArray;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;

/**
 * Authenticated encryption of the members' traffic, keyed by the cluster's member secret
 * ({@code MemberCredential#jgroupsKey}), so no keystore file has to be shipped. Every message from the protocols above
 * (membership, retransmission, state transfer, cache commands) is sealed whole with AES-GCM: its addresses, flags,
 * headers and payload travel in an envelope the protocols below see. A message not sealed with the members' key, or
 * changed on the way, fails its tag and is dropped, so a node without the key can neither read the members' traffic,
 * nor forge or alter it, nor join. (JGroups' own SYM_ENCRYPT only offers unauthenticated modes in this version and
 * leaves headers in the clear.)
 */
public class MemberEncryption extends Protocol {

    /** Under NAKACK2 and UNICAST3, so their headers and retransmissions are sealed too. */
    static final String XML = """
            <io.sluice.replication.MemberEncryption member_key="${sluice.jgroups.member_key}"/>""";

    /** Outside the ranges JGroups and Infinispan give their own protocols and headers. */
    private static final short PROTOCOL_ID = 1789;
    private static final short HEADER_ID = 1790;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = 128;
    /** How often a dropped message is logged at most: a stranger sending junk must not flood the log. */
    private static final long WARN_INTERVAL_MS = 60_000;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, MemberEncryption.class);
        ClassConfigurator.add(HEADER_ID, Seal.class);
    }

    @Property(description = "the AES key, base64", exposeAsManagedAttribute = false)
    protected String member_key;

    private SecretKey key;
    private final Nonces nonces = new Nonces();
    /** Ciphers are not thread-safe; JGroups delivers on many threads, so each takes one from here and gives it back. */
    private final Queue<Cipher> ciphers = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastWarnedAt;

    @Override
    public void init() throws Exception {
        key = new SecretKeySpec(Base64.getDecoder().decode(member_key), "AES");
        release(cipher()); // a JVM without AES-GCM fails here, at start
        super.init();
    }

    /** Messages dropped since start because they were not sealed with the members' key or were altered. */
    @ManagedAttribute(description = "messages dropped as not sealed with the members' key")
    public long droppedMessages() {
        return dropped.get();
    }

    @Override
    public Object down(Message message) {
        if (message.getSrc() == null) {
            message.setSrc(local_addr);
        }
        try {
            return down_prot.down(seal(message));
        } catch (Exception e) {
            log.error("%s: cannot seal a message to %s: %s", local_addr, message.getDest(), e);
            return null;
        }
    }

    @Override
    public Object up(Message envelope) {
        Message message = open(envelope);
        return message == null ? null : up_prot.up(message);
    }

    @Override
    public void up(MessageBatch batch) {
        FastArray<Message>.FastIterator it = (FastArray<Message>.FastIterator) batch.iterator();
        while (it.hasNext()) {
            Message message = open(it.next());
            if (message == null) {
                it.remove();
            } else {
                it.replace(message);
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    private Message seal(Message message) throws Exception {
        ByteArray plain = Util.messageToBuffer(message);
        byte[] nonce = nonces.next();
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain.array(), plain.offset(), plain.length());
            return new BytesMessage(message.getDest(), sealed).setSrc(message.getSrc())
                    .setFlag(message.getFlags(false), false).setFlag(message.getFlags(true), true)
                    .putHeader(id, new Seal(nonce));
        } finally {
            release(cipher);
        }
    }

    /** The message sealed in the envelope, or null when it was not sealed with the members' key. */
    private Message open(Message envelope) {
        Seal seal = envelope.getHeader(id);
        if (seal == null || !envelope.hasArray()) {
            dropped(envelope, "it is not sealed");
            return null;
        }
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, seal.nonce));
            byte[] plain = cipher.doFinal(envelope.getArray(), envelope.getOffset(), envelope.getLength());
            Message message = Util.messageFromBuffer(plain, 0, plain.length);
            return message.getSrc() == null ? message.setSrc(envelope.getSrc()) : message;
        } catch (Exception e) {
            dropped(envelope, e.toString());
            return null;
        } finally {
            release(cipher);
        }
    }

    private void dropped(Message envelope, String why) {
        long count = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastWarnedAt >= WARN_INTERVAL_MS) {
            lastWarnedAt = now;
            log.warn("%s: dropped a message from %s: %s (a node without the members' key?); %d dropped so far",
                    local_addr, envelope.getSrc(), why, count);
        }
    }

    private Cipher cipher() {
        Cipher cipher = ciphers.poll();
        if (cipher != null) {
            return cipher;
        }
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + TRANSFORMATION, e);
        }
    }

    private void release(Cipher cipher) {
        ciphers.offer(cipher);
    }

    /**
     * 96-bit GCM nonces that never repeat under the key all members share: 8 random bytes, drawn anew every 2^32
     * messages, then a counter (the deterministic construction of NIST SP 800-38D). Random nonces drawn whole would
     * risk a repeat after a few billion messages cluster-wide; two draws of 64 bits meeting is out of reach.
     */
    static final class Nonces {

        static final int LENGTH = 12;
        private final SecureRandom random = new SecureRandom();
        private final byte[] fixed = new byte[8];
        private long count;

        synchronized byte[] next() {
            int invocation = (int) count++;
            if (invocation == 0) {
                random.nextBytes(fixed);
            }
            byte[] nonce = new byte[LENGTH];
            System.arraycopy(fixed, 0, nonce, 0, fixed.length);
            nonce[8] = (byte) (invocation >>> 24);
            nonce[9] = (byte) (invocation >>> 16);
            nonce[10] = (byte) (invocation >>> 8);
            nonce[11] = (byte) invocation;
            return nonce;
        }
    }

    /** The envelope's header: the nonce it was sealed with. */
    public static final class Seal extends Header {

        private byte[] nonce;

        public Seal() {
        }

        Seal(byte[] nonce) {
            this.nonce = nonce;
        }

        @Override
        public short getMagicId() {
            return HEADER_ID;
        }

        @Override
        public Supplier<? extends Header> create() {
            return Seal::new;
        }

        @Override
        public int serializedSize() {
            return Nonces.LENGTH;
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.write(nonce);
        }

        @Override
        public void readFrom(DataInput in) throws IOException {
            nonce = new byte[Nonces.LENGTH];
            in.readFully(nonce);
        }

        @Override
        public String toString() {
            return "sealed";
        }
    }
}
