package io.sluice.replication;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.BiFunction;

import org.infinispan.commons.marshall.WrappedBytes;
import org.infinispan.functional.EntryView.ReadWriteEntryView;
import org.infinispan.protostream.FileDescriptorSource;
import org.infinispan.protostream.ProtobufTagMarshaller;
import org.infinispan.protostream.SerializationContext;
import org.infinispan.protostream.SerializationContextInitializer;
import org.infinispan.protostream.TagReader;

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

    /** Makes the function known to the nodes' marshaller: it carries no state, so an empty message. */
    static final class Schema implements SerializationContextInitializer {

        private static final String FILE = "sluice-replication.proto";
        private static final String TYPE = "sluice.replication.RemoveIfBytesEqual";

        @Override
        public void registerSchema(SerializationContext context) {
            context.registerProtoFiles(FileDescriptorSource.fromString(FILE,
                    "package sluice.replication;\n/** @TypeId(5130001) */\nmessage RemoveIfBytesEqual {\n}\n"));
        }

        @Override
        public void registerMarshallers(SerializationContext context) {
            context.registerMarshaller(new ProtobufTagMarshaller<RemoveIfBytesEqual>() {
                @Override
                public RemoveIfBytesEqual read(ReadContext read) throws IOException {
                    // an empty message: skip whatever fields a newer version might add, values included
                    TagReader reader = read.getReader();
                    for (int tag = reader.readTag(); tag != 0 && reader.skipField(tag); tag = reader.readTag()) {
                    }
                    return INSTANCE;
                }

                @Override
                public void write(WriteContext write, RemoveIfBytesEqual function) {
                }

                @Override
                public Class<? extends RemoveIfBytesEqual> getJavaClass() {
                    return RemoveIfBytesEqual.class;
                }

                @Override
                public String getTypeName() {
                    return TYPE;
                }
            });
        }
    }
}
