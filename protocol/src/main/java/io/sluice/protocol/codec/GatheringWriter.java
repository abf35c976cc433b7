package io.sluice.protocol.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.utils.ByteUtils;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Writes a message as a list of buffers rather than one: its fields are written into a buffer of its own, but a byte
 * buffer of {@link #GATHER_FROM} bytes or more (a partition's records, mostly) is taken as it is, not copied. A
 * produce part the gateway sends on, or a fetch answer, so costs no copy of its records; they are read from where they
 * already are when the socket writes them, so they must not change until then (records never do: every buffer that
 * holds them is written once, before it is shared).
 */
final class GatheringWriter implements Writable {

    static final int GATHER_FROM = 1024;
    private static final int FIRST_CAPACITY = 4096;

    private final List<ByteBuffer> written = new ArrayList<>();
    private ByteBuffer fields;

    /** @param size the message's size, of which at most {@value #FIRST_CAPACITY} bytes are allocated at first */
    GatheringWriter(int size) {
        fields = ByteBuffer.allocate(Math.min(size, FIRST_CAPACITY));
    }

    /** What was written, in order, as one buffer whose parts are not copied. */
    ByteBuf buffer() {
        endFields();
        return Unpooled.wrappedBuffer(written.toArray(ByteBuffer[]::new));
    }

    @Override
    public void writeByteBuffer(ByteBuffer source) {
        if (source.remaining() < GATHER_FROM) {
            room(source.remaining()).put(source.duplicate());
            return;
        }
        endFields();
        written.add(source.duplicate());
    }

    @Override
    public void writeByte(byte value) {
        room(1).put(value);
    }

    @Override
    public void writeShort(short value) {
        room(2).putShort(value);
    }

    @Override
    public void writeInt(int value) {
        room(4).putInt(value);
    }

    @Override
    public void writeLong(long value) {
        room(8).putLong(value);
    }

    @Override
    public void writeDouble(double value) {
        room(8).putDouble(value);
    }

    @Override
    public void writeByteArray(byte[] value) {
        room(value.length).put(value);
    }

    @Override
    public void writeUnsignedVarint(int value) {
        ByteUtils.writeUnsignedVarint(value, room(5));
    }

    @Override
    public void writeVarint(int value) {
        ByteUtils.writeVarint(value, room(5));
    }

    @Override
    public void writeVarlong(long value) {
        ByteUtils.writeVarlong(value, room(10));
    }

    /** The fields written since the last gathered buffer become a part; the rest of their buffer takes the next. */
    private void endFields() {
        if (fields.position() > 0) {
            written.add(fields.duplicate().flip());
            fields = fields.slice();
        }
    }

    private ByteBuffer room(int bytes) {
        if (fields.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(fields.capacity() * 2, fields.position() + bytes));
            fields = larger.put(fields.flip());
        }
        return fields;
    }
}
