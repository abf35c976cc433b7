package io.sluice.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.NameCache;

/**
 * A node's JGroups address, the same after a crash: kept in its data dir. Infinispan draws a random one at each start,
 * and a cache whose every owner of some data crashed at once then lost that data when they came back: its consistent
 * hash still names the owners by their old addresses, and Infinispan, seeing them back under new ones, dropped the old
 * ones and gave their segments to the nodes that stayed, which never held them. Back under the same address, they are
 * the owners still.
 * <p>
 * A node that left cleanly takes a new address. Its caches went on without it (or, after a cluster-wide shutdown, kept
 * their topology by each node's persistent identity), so it gains nothing by the old one, and the others are still
 * tidying up after its former self for a moment (its sockets closing, its connections kept for a second): a node back
 * under the same address within that moment was taken for its former self, its JOIN ignored ten times. A crashed node
 * has been excluded long before its restart (a closed socket is noticed at once, a silent node within about 6 s). A
 * data dir copied to make another node would share the address: start a new node on an empty dir.
 */
final class NodeAddress {

    private static final String FILE = "node-address";
    private static final String LEFT = "node-left";

    private NodeAddress() {
    }

    /** The node's address bits: those it had unless it left cleanly since, else new ones, kept in {@code dataDir}. */
    static UUID of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Path left = dataDir.resolve(LEFT);
        try {
            if (Files.exists(file) && !Files.exists(left)) {
                return UUID.fromString(Files.readString(file, StandardCharsets.US_ASCII).strip());
            }
            UUID made = UUID.randomUUID();
            Files.createDirectories(dataDir);
            Path written = Files.writeString(dataDir.resolve(FILE + ".new"), made.toString(), StandardCharsets.US_ASCII);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(left);
            return made;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot keep the node's address in " + file, e);
        }
    }

    /** Records that the node left its cluster cleanly (a leave, or a cluster-wide shutdown): it starts anew. */
    static void left(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve(LEFT), "", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // The next start keeps the address, as after a crash.
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
            LargestSideLeads.local(fixed);
            return fixed;
        }
    }
}
