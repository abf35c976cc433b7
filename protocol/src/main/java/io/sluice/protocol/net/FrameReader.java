package io.sluice.protocol.net;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import io.sluice.protocol.codec.InvalidFrameException;
import io.vertx.core.buffer.Buffer;

/** Cuts a byte stream into size-prefixed Kafka frames, refusing sizes that are negative or over the limit. */
final class FrameReader {

    private final int maxFrameSize;
    private final Consumer<ByteBuffer> frames;
    private Buffer pending = Buffer.buffer();
    private int offset;

    FrameReader(int maxFrameSize, Consumer<ByteBuffer> frames) {
        this.maxFrameSize = maxFrameSize;
        this.frames = frames;
    }

    void feed(Buffer data) {
        pending.appendBuffer(data);
        while (pending.length() - offset >= 4) {
            int size = pending.getInt(offset);
            if (size < 0 || size > maxFrameSize) {
                throw new InvalidFrameException("frame size " + size + " is outside 0.." + maxFrameSize);
            }
            if (pending.length() - offset - 4 < size) {
                break;
            }
            byte[] frame = pending.getBytes(offset + 4, offset + 4 + size);
            offset += 4 + size;
            frames.accept(ByteBuffer.wrap(frame));
        }
        if (offset == pending.length()) {
            pending = Buffer.buffer();
            offset = 0;
        } else if (offset > 0) {
            pending = pending.getBuffer(offset, pending.length());
            offset = 0;
        }
    }
}
