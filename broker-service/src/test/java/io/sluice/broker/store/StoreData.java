package io.sluice.broker.store;

import java.nio.charset.StandardCharsets;

/** Test values as text. */
final class StoreData {

    private StoreData() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of stored bytes, or null for none. */
    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
