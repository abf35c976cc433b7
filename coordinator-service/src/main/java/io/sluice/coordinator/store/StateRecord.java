package io.sluice.coordinator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * What a replica records next to its state files: the version of the state they hold, and the newest version it
 * knows some replica holds. They differ once it emptied its files to take the state from others: until the state has
 * come over, it knows the newest state is elsewhere, and says so, so that the older files of the replicas left cannot
 * pass for the newest.
 */
record StateRecord(StateVersion held, StateVersion known) {

    static final StateRecord NONE = new StateRecord(StateVersion.NONE, StateVersion.NONE);

    StateRecord {
        known = StateVersion.max(held, known);
    }

    /** The files hold {@code next} now. */
    StateRecord holding(StateVersion next) {
        return new StateRecord(next, known);
    }

    /** The files are emptied to take the state of {@code taking}. */
    StateRecord emptied(StateVersion taking) {
        return new StateRecord(StateVersion.NONE, StateVersion.max(held, StateVersion.max(known, taking)));
    }

    String encode() {
        return held.encode() + " " + known.encode();
    }

    static StateRecord decode(String text) {
        String[] parts = text.trim().split(" ");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a state record: '" + text + "'");
        }
        return new StateRecord(StateVersion.decode(parts[0], parts[1]), StateVersion.decode(parts[2], parts[3]));
    }

    /** The record in {@code file}; {@link #NONE} when there is none. */
    static StateRecord read(Path file) {
        try {
            return Files.exists(file) ? decode(Files.readString(file, StandardCharsets.UTF_8)) : NONE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state record " + file, e);
        }
    }

    /**
     * Writes this record to {@code file}, durably (synced, then renamed over the old one) before it returns: a
     * replica's claim must survive a crash right after.
     */
    void write(Path file) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(encode().getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state record " + file, e);
        }
    }
}
