package io.sluice.protocol.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Writes a frame to a socket in pieces the buffer pool serves. Netty copies a heap buffer into a direct one before the
 * socket takes it; one that fills a pool chunk or more gets a direct buffer of its own, allocated, zeroed and freed for
 * that write alone. A fetch answer of a few MiB did so at each write, about 4 % of a broker's and the gateway's read
 * path (async-profiler, {@code PoolArena.allocateHuge}). Call on the socket's context only, so that no other write
 * comes between a frame's pieces.
 */
final class FrameWriter {

    /** Half a chunk of the pool, at most 1 MiB (the services set chunks of 4 MiB: quarkus.netty.allocator-max-order). */
    static final int PIECE_BYTES = Math.min(1024 * 1024, PooledByteBufAllocator.DEFAULT.metric().chunkSize() / 2);

    private FrameWriter() {
    }

    /** Writes {@code frame}; the future completes when its last piece is written. */
    static Future<Void> write(NetSocket socket, ByteBuf frame) {
        int size = frame.readableBytes();
        if (size <= PIECE_BYTES) {
            return socket.write(Buffer.buffer(frame));
        }
        Future<Void> written = null;
        for (int from = 0; from < size; from += PIECE_BYTES) {
            written = socket.write(Buffer.buffer(frame.slice(frame.readerIndex() + from,
                    Math.min(PIECE_BYTES, size - from))));
        }
        return written;
    }
}
