package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.infinispan.commons.io.ByteBuffer;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.factories.KnownComponentNames;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.marshall.persistence.PersistenceMarshaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The buffers Infinispan's persistence marshaller allocates for the store's keys and values (Sluice's stand-in for
 * Infinispan's {@code AdaptiveBufferSizePredictor}): each the size of what it holds, whatever was marshalled before.
 */
class MarshallingBufferTest {

    private static DefaultCacheManager manager;
    private static PersistenceMarshaller marshaller;

    @BeforeAll
    static void start() {
        manager = new DefaultCacheManager();
        marshaller = GlobalComponentRegistry.of(manager).getComponent(PersistenceMarshaller.class,
                KnownComponentNames.PERSISTENCE_MARSHALLER);
    }

    @AfterAll
    static void stop() {
        manager.stop();
    }

    @Test
    void aSmallKeyAfterLargeChunksGetsASmallBuffer() throws Exception {
        for (int i = 0; i < 10; i++) {
            marshaller.objectToBuffer(new byte[200_000]);
        }
        ByteBuffer key = marshaller.objectToBuffer(new byte[40]);
        // Stored keys come back wrapped, and a read from disk marshals them so.
        ByteBuffer wrapped = marshaller.objectToBuffer(new WrappedByteArray(new byte[40]));

        // Infinispan's own predictor gave 16 KiB here, what it had learnt from the chunks so far (64 KiB at most).
        assertThat(key.getBuf().length).isLessThanOrEqualTo(40 + 32);
        assertThat(key.getLength()).isGreaterThan(40);
        assertThat(wrapped.getBuf().length).isLessThanOrEqualTo(40 + 32);
        assertThat(wrapped.getLength()).isGreaterThan(40);
    }

    @Test
    void aLargeChunkIsMarshalledIntoOneBufferOfItsSize() throws Exception {
        for (int size : new int[] { 0, 1, 127, 128, 16_383, 16_384, 65_536, 1_000_000, 8_388_608 }) {
            ByteBuffer chunk = marshaller.objectToBuffer(new byte[size]);

            // No growth on the way: a buffer grown by doubling would be up to twice the size.
            assertThat(chunk.getBuf().length).as("buffer for %d bytes", size).isLessThanOrEqualTo(size + 32);
            assertThat(chunk.getLength()).as("marshalled %d bytes", size).isGreaterThan(size);
        }
    }
}
