package io.sluice.protocol.codec;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import io.netty.buffer.ByteBuf;

/** A frame on the wire: a 4-byte size, then a header and a body. */
final class Frames {

    private Frames() {
    }

    /** The frame of a header and body, its records not copied ({@link GatheringWriter}). */
    static ByteBuf write(ApiMessage header, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.size(cache, headerVersion);
        int bodySize = body.size(cache, version);
        GatheringWriter writer = new GatheringWriter(4 + headerSize + bodySize);
        writer.writeInt(headerSize + bodySize);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        return writer.buffer();
    }
}
