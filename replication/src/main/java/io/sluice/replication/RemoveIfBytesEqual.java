package io.sluice.replication;

import java.util.Arrays;
import java.util.function.BiFunction;

import org.infinispan.commons.marshall.WrappedBytes;
import org.infinispan.functional.EntryView.ReadWriteEntryView;

/**
 * Removes an entry of byte arrays if it holds the given bytes, and says whether it did: a conditional remove for
 * Infinispan's functional {@code evalMany}, which runs it on the owners of many keys in one request. Infinispan's own
 * {@code removeIfValueEqualsReturnBoolean} compares with {@code equals}, which arrays do not implement by content.
 */
public final class RemoveIfBytesEqual implements BiFunction<Object, ReadWriteEntryView<byte[], byte[]>, Boolean> {

    public static final RemoveIfBytesEqual INSTANCE = new RemoveIfBytesEqual();

    private RemoveIfBytesEqual() {
    }

    @Override
    public Boolean apply(Object expected, ReadWriteEntryView<byte[], byte[]> entry) {
        byte[] held = entry.find().orElse(null);
        if (held == null || !Arrays.equals(held, bytes(expected))) {
            return false;
        }
        entry.remove();
        return true;
    }

    /** The argument arrives as an array or, converted for storage on its way, wrapped. */
    private static byte[] bytes(Object value) {
        return value instanceof WrappedBytes wrapped ? wrapped.getBytes() : (byte[]) value;
    }
}
