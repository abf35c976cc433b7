package io.sluice.gateway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.metadata.ClusterView;

/**
 * DescribeLogDirs for the whole cluster: the gateway is the only broker clients see, so it answers with every live
 * broker's log dir, each named {@code broker-<id>:
 *
<dir>
 * }, with the partitions that broker leads. A broker that does not
 * answer shows as its log dir with KAFKA_STORAGE_ERROR.
 */
final class LogDirs {

    private final MetadataView metadata;

    LogDirs(MetadataView metadata) {
        this.metadata = metadata;
    }

    CompletableFuture<ApiMessage> describe(DescribeLogDirsRequestData request, short version,
            BrokerChannels brokers) {
        ClusterView view = metadata.current();
        List<CompletableFuture<List<DescribeLogDirsResult>>> answers = new ArrayList<>();
        // The view lists the coordinator as a node too.
        for (int brokerId : view.brokers().keySet().stream().filter(id -> id != CoordinatorContract.NODE_ID)
                .sorted().toList()) {
            answers.add(brokers.send(view, brokerId, request, version, true).handle((answer, error) -> {
                if (error != null || ((DescribeLogDirsResponseData) answer).errorCode() != Errors.NONE.code()) {
                    return List.of(new DescribeLogDirsResult().setLogDir("broker-" + brokerId)
                            .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()));
                }
                List<DescribeLogDirsResult> results = ((DescribeLogDirsResponseData) answer).results();
                results.forEach(r -> r.setLogDir("broker-" + brokerId + ":" + r.logDir()));
                return results;
            }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all -> {
            DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
            answers.forEach(a -> response.results().addAll(a.join()));
            return response;
        });
    }
}
