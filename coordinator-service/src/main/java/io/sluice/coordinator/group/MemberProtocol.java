package io.sluice.coordinator.group;

import java.util.Arrays;

/** One assignment protocol a member can use (an assignor's name) with its subscription metadata. */
public record MemberProtocol(String name, byte[] metadata) {

    @Override
    public boolean equals(Object other) {
        return other instanceof MemberProtocol p && name.equals(p.name) && Arrays.equals(metadata, p.metadata);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return name + "(" + metadata.length + " bytes)";
    }
}
