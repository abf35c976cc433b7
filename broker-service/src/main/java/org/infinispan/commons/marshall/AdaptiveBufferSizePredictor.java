package org.infinispan.commons.marshall;

/**
 * Sluice's stand-in for Infinispan 16.0's class of this name, which {@code application.properties} removes from
 * infinispan-commons ({@code quarkus.class-loading.removed-resources}). Infinispan's marshallers keep one predictor
 * per class and allocate the buffer it predicts before marshalling an object of that class. Infinispan's learns one
 * size for all objects of a class, up to 64 KiB; the store's keys and values are all {@code byte[]}, so a 40-byte
 * key was marshalled (for its file store, on every write and every read from disk) into the buffer the chunks had
 * taught it, and a chunk larger than 64 KiB was copied into buffers twice as large until it fit: about two fifths of
 * a broker's allocation at 5,000 records/s (JFR). An array's size is known, so this one predicts it exactly. Other
 * objects' sizes it learns, up to 64 KiB as Infinispan's: up at once to what was needed, down by halves when a size
 * stays below half of the prediction twice running.
 */
public class AdaptiveBufferSizePredictor implements BufferSizePredictor {

    /** What marshalling adds to an array's bytes: the wrapping message's field tags and length prefixes. */
    private static final int WRAPPING = 16;

    private static final int MINIMUM = 16;
    private static final int MAXIMUM = 65536;

    private int next = 512;
    private boolean shrinkNext;

    @Override
    public int nextSize(Object object) {
        if (object instanceof byte[] bytes) {
            return exact(bytes.length);
        }
        if (object instanceof WrappedBytes wrapped) {
            return exact(wrapped.getLength());
        }
        return next;
    }

    private static int exact(int length) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) length + WRAPPING);
    }

    @Override
    public void recordSize(int size) {
        if (size > next) {
            next = (int) Math.min(MAXIMUM, Long.highestOneBit(size - 1L) << 1);
            shrinkNext = false;
        } else if (size < next / 2) {
            if (shrinkNext) {
                next = Math.max(MINIMUM, next / 2);
            }
            shrinkNext = !shrinkNext;
        } else {
            shrinkNext = false;
        }
    }
}
