package io.sluice.operator.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;

/** A Secret's values as text: the API keeps them base64-encoded in {@code data}. */
public final class SecretData {

    private SecretData() {
    }

    /** The value of {@code key}; null when the Secret has none. */
    public static String get(Secret secret, String key) {
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /** {@code values} as a Secret's {@code data}. */
    public static Map<String, String> encode(Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((key, value) -> data.put(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return data;
    }
}
