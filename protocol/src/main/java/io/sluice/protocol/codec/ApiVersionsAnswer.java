package io.sluice.protocol.codec;

import java.util.Collection;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.Errors;

/**
 * The ApiVersions response listing a service's ranges. Kept out of {@link SupportedApis}, which every role's contract
 * builds when it loads: the launchers that load a contract only for its settings (the CLI, the system tests) run
 * kafka-clients releases that moved the message collections this needs (4.4 moved them to {@code utils.internals}),
 * and linking them there would fail.
 */
final class ApiVersionsAnswer {

    private ApiVersionsAnswer() {
    }

    static ApiVersionsResponseData of(Collection<ApiVersionRange> ranges, boolean requestSupported) {
        ApiVersionCollection keys = new ApiVersionCollection();
        for (ApiVersionRange range : ranges) {
            keys.add(new ApiVersion().setApiKey(range.api().id).setMinVersion(range.min()).setMaxVersion(range.max()));
        }
        Errors error = requestSupported ? Errors.NONE : Errors.UNSUPPORTED_VERSION;
        return new ApiVersionsResponseData().setErrorCode(error.code()).setApiKeys(keys);
    }
}
