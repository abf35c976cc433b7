package io.sluice.protocol.net;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import io.sluice.protocol.codec.InvalidFrameException;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into size-prefixed Kafka frames. A size that is negative or over the limit is refused before any
 * byte of its frame is kept; each frame is copied once, into a buffer of its size.
 */
final class FrameReader {

    /** Decides whether a request is read now, from its size and API key, before any of it is kept. */
    interface Admission {
        /**
         * @return true to read the request now, false to read nothing more until {@link FrameReader#resume()}
         * @throws InvalidFrameException to refuse it
         */
        boolean admit(int size, short apiKey);
    }

    private static final int SIZE_BYTES = 4;
    private static final int API_KEY_BYTES = 2;

    private final int maxFrameSize;
    private final Admission admission;
    private final Consumer<ByteBuffer> frames;
    /** Bytes received and not yet cut: at most a frame's first bytes, and what a read brought beyond them. */
    private Buffer pending = Buffer.buffer();
    /** The frame being filled, once admitted. */
    private ByteBuffer frame;

    /** A reader of responses: every frame up to {@code maxFrameSize} is read. */
    FrameReader(int maxFrameSize, Consumer<ByteBuffer> frames) {
        this(maxFrameSize, null, frames);
    }

    /** A reader of requests, each read once {@code admission} admits it. */
    FrameReader(int maxFrameSize, Admission admission, Consumer<ByteBuffer> frames) {
        this.maxFrameSize = maxFrameSize;
        this.admission = admission;
        this.frames = frames;
    }

    /** Cuts what {@code data} completes; keeps no reference to it, so the caller may reuse or release it then. */
    void feed(Buffer data) {
        pending = pending.length() == 0 ? data : pending.appendBuffer(data);
        try {
            cut();
        } finally {
            if (pending == data) {
                // cut() failed on a bad frame: the stream is past reading.
                pending = Buffer.buffer();
            }
        }
    }

    /** Reads on after {@link Admission#admit} said to wait. */
    void resume() {
        cut();
    }

    private void cut() {
        int offset = 0;
        while (true) {
            if (frame != null) {
                int n = Math.min(frame.remaining(), pending.length() - offset);
                pending.getBytes(offset, offset + n, frame.array(), frame.position());
                frame.position(frame.position() + n);
                offset += n;
                if (frame.hasRemaining()) {
                    break;
                }
                ByteBuffer done = frame.flip();
                frame = null;
                frames.accept(done);
                continue;
            }
            if (pending.length() - offset < SIZE_BYTES) {
                break;
            }
            int size = pending.getInt(offset);
            if (size < 0 || size > maxFrameSize) {
                throw new InvalidFrameException("frame size " + size + " is outside 0.." + maxFrameSize);
            }
            if (admission != null) {
                if (size < API_KEY_BYTES) {
                    throw new InvalidFrameException("a request of " + size + " bytes has no header");
                }
                if (pending.length() - offset < SIZE_BYTES + API_KEY_BYTES
                        || !admission.admit(size, pending.getShort(offset + SIZE_BYTES))) {
                    break;
                }
            }
            offset += SIZE_BYTES;
            frame = ByteBuffer.allocate(size);
        }
        // getBuffer copies: what is kept is never the caller's buffer.
        pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
    }
}
