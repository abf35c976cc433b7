package io.sluice.protocol.codec;

import org.apache.kafka.common.protocol.ApiKeys;

/** The versions of one API a Sluice service really implements. */
public record ApiVersionRange(ApiKeys api, short min, short max) {

    public static ApiVersionRange of(ApiKeys api, int min, int max) {
        return new ApiVersionRange(api, (short) min, (short) max);
    }

    public boolean supports(short version) {
        return version >= min && version <= max;
    }
}
