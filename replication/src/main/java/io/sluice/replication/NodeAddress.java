package io.sluice.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.NameCache;

/**
 * A node's JGroups address, the same at every start: kept in its data dir, made once. Infinispan draws a random one
 * at each start, and a cache whose every owner of some data crashed at once then loses that data when they come
 * back: its consistent hash still names the owners by their old addresses, and Infinispan, seeing them back under new
 * ones, drops the old ones and gives their segments to the nodes that stayed, which never held them. Back under the
 * same address, they are the owners still.
 * <p>
 * A node starts again seconds after it died, and JGroups has excluded the old incarnation by then (a closed socket is
 * noticed at once, a silent node within about 6 s), so the address is never in a view twice. After a clean leave the
 * others still tidy up after the former self for a moment (its sockets closing, its connections kept for a second):
 * a node back under the same address within that moment was taken for its former self and dropped from the view
 * again. So a node records when it left, and a restart waits until {@link #REUSE_AFTER} has passed since. A data dir
 * copied to make another node would share the address: start a new node on an empty dir.
 */
final class NodeAddress {

    private static final String FILE = "node-address";
    private static final String LEFT = "node-left";
    /** How long after a leave the address may join again. */
    static final Duration REUSE_AFTER = Duration.ofSeconds(3);

    private NodeAddress() {
    }

    /** The node's address bits, made and kept in {@code dataDir} at its first start. */
    static UUID of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return UUID.fromString(Files.readString(file, StandardCharsets.US_ASCII).strip());
            }
            UUID made = UUID.randomUUID();
            Files.createDirectories(dataDir);
            Path written = Files.writeString(dataDir.resolve(FILE + ".new"), made.toString(), StandardCharsets.US_ASCII);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node's address in " + file, e);
        }
    }

    /** Records that the node left its cluster now (a clean leave or a cluster-wide shutdown). */
    static void left(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve(LEFT), Long.toString(System.currentTimeMillis()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // Only the next start's wait depends on it.
        }
    }

    /** Waits until the address may join again: {@link #REUSE_AFTER} after the node last left, if it did so lately. */
    static void awaitReuse(Path dataDir) {
        Path file = dataDir.resolve(LEFT);
        try {
            long wait = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    + REUSE_AFTER.toMillis() - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(Math.min(wait, REUSE_AFTER.toMillis()));
            }
        } catch (IOException | NumberFormatException e) {
            // Never left cleanly: a crash is noticed and the restart takes longer than the others' tidying up.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A channel whose address has the given bits and whatever Infinispan's generator puts in it besides. */
    static final class Channel extends JChannel {
        private final UUID bits;

        Channel(ProtocolStackConfigurator stack, UUID bits) throws Exception {
            super(stack);
            this.bits = bits;
        }

        @Override
        protected Address generateAddress(String name) {
            Address generated = super.generateAddress(name);
            ExtendedUUID fixed = new ExtendedUUID(bits.getMostSignificantBits(), bits.getLeastSignificantBits());
            if (generated instanceof ExtendedUUID extended) {
                fixed.addContents(extended);
            }
            if (name != null) {
                NameCache.add(fixed, name);
            }
            return fixed;
        }
    }
}
