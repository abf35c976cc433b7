package io.sluice.protocol.codec;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The explicit list of APIs and versions one service serves. Advertised maxima are capped by hand: a newer
 * kafka-clients jar raising {@code latestVersion()} must not make us claim versions we never implemented.
 */
public final class SupportedApis {

    private final Map<Short, ApiVersionRange> ranges = new TreeMap<>();

    public SupportedApis(Collection<ApiVersionRange> ranges) {
        for (ApiVersionRange range : ranges) {
            if (this.ranges.put(range.api().id, range) != null) {
                throw new IllegalArgumentException(range.api() + " is listed twice");
            }
        }
        this.ranges.putIfAbsent(ApiKeys.API_VERSIONS.id, ApiVersionRange.of(ApiKeys.API_VERSIONS, 0, 4));
    }

    /** The APIs of several lists, each API in one of them; ApiVersions 0–4 unless listed. */
    @SafeVarargs
    public static SupportedApis of(List<ApiVersionRange>... lists) {
        return new SupportedApis(java.util.Arrays.stream(lists).flatMap(List::stream).toList());
    }

    public boolean supports(short apiKey, short version) {
        ApiVersionRange range = ranges.get(apiKey);
        return range != null && range.supports(version);
    }

    public ApiVersionRange range(ApiKeys api) {
        return ranges.get(api.id);
    }

    /** The ApiVersions answer; for a version newer than we know, Kafka's v0-format UNSUPPORTED_VERSION fallback. */
    public ApiVersionsResponseData apiVersionsResponse(RequestFrame request) {
        return ApiVersionsAnswer.of(ranges.values(), supports(request.apiKey(), request.apiVersion()));
    }

    /** The version an ApiVersions response is written in: v0 when the request's version is not ours. */
    public short apiVersionsResponseVersion(RequestFrame request) {
        return supports(request.apiKey(), request.apiVersion()) ? request.apiVersion() : 0;
    }
}
