package io.sluice.replication;

import java.io.IOException;
import java.util.List;

import org.infinispan.protostream.FileDescriptorSource;
import org.infinispan.protostream.ProtobufTagMarshaller;
import org.infinispan.protostream.SerializationContext;
import org.infinispan.protostream.SerializationContextInitializer;
import org.infinispan.protostream.TagReader;

/**
 * Makes the functions Sluice sends to other nodes known to the nodes' marshaller. They carry no state, so each is an
 * empty message that reads back as its one instance. Type ids are fixed: a node must read what another version sends.
 */
final class StatelessFunctions implements SerializationContextInitializer {

    private static final String FILE = "sluice-replication.proto";

    private record Function<T>(String name, int typeId, Class<T> type, T instance) {
    }

    private static final List<Function<?>> FUNCTIONS = List.of(
            new Function<>("RemoveIfBytesEqual", 5130001, RemoveIfBytesEqual.class, RemoveIfBytesEqual.INSTANCE),
            new Function<>("ViewProbe", 5130002, ViewProbe.class, ViewProbe.INSTANCE));

    @Override
    public void registerSchema(SerializationContext context) {
        StringBuilder proto = new StringBuilder("package sluice.replication;\n");
        for (Function<?> f : FUNCTIONS) {
            proto.append("/** @TypeId(").append(f.typeId()).append(") */\nmessage ").append(f.name()).append(" {\n}\n");
        }
        context.registerProtoFiles(FileDescriptorSource.fromString(FILE, proto.toString()));
    }

    @Override
    public void registerMarshallers(SerializationContext context) {
        FUNCTIONS.forEach(f -> context.registerMarshaller(marshaller(f)));
    }

    private static <T> ProtobufTagMarshaller<T> marshaller(Function<T> function) {
        return new ProtobufTagMarshaller<>() {
            @Override
            public T read(ReadContext read) throws IOException {
                // an empty message: skip whatever fields a newer version might add, values included
                TagReader reader = read.getReader();
                for (int tag = reader.readTag(); tag != 0 && reader.skipField(tag); tag = reader.readTag()) {
                }
                return function.instance();
            }

            @Override
            public void write(WriteContext write, T value) {
            }

            @Override
            public Class<? extends T> getJavaClass() {
                return function.type();
            }

            @Override
            public String getTypeName() {
                return "sluice.replication." + function.name();
            }
        };
    }
}
