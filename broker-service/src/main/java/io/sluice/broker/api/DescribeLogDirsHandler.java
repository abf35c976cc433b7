package io.sluice.broker.api;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.broker.leadership.PartitionLeaders;
import io.sluice.broker.log.PartitionLog;

/**
 * DescribeLogDirs: this broker's one log dir, its store's directory, with the size of each partition it leads (a
 * partition's data is counted once, at its leader, however many store nodes hold copies) and the disk's total and
 * usable bytes. The gateway asks every broker and answers clients with all their log dirs.
 */
final class DescribeLogDirsHandler {

    private final PartitionLeaders leaders;
    private final Path logDir;

    DescribeLogDirsHandler(PartitionLeaders leaders, Path logDir) {
        this.leaders = leaders;
        this.logDir = logDir.toAbsolutePath();
    }

    CompletableFuture<ApiMessage> handle(DescribeLogDirsRequestData request) {
        Set<String> wanted = null;
        if (request.topics() != null) {
            wanted = new HashSet<>();
            for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : request.topics()) {
                for (int partition : topic.partitions()) {
                    wanted.add(topic.topic() + "-" + partition);
                }
            }
        }
        Map<String, DescribeLogDirsTopic> topics = new TreeMap<>();
        for (PartitionLog log : leaders.openLogs()) {
            String topic = log.id().topic();
            if (wanted == null || wanted.contains(topic + "-" + log.id().partition())) {
                topics.computeIfAbsent(topic, name -> new DescribeLogDirsTopic().setName(name)).partitions()
                        .add(new DescribeLogDirsPartition().setPartitionIndex(log.id().partition())
                                .setPartitionSize(log.sizeInBytes()).setOffsetLag(0).setIsFutureKey(false));
            }
        }
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(logDir.toString());
        result.topics().addAll(topics.values());
        try {
            FileStore disk = Files.getFileStore(logDir);
            result.setTotalBytes(disk.getTotalSpace()).setUsableBytes(disk.getUsableSpace());
        } catch (IOException e) {
            // -1, as Kafka answers when it cannot tell
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        response.results().add(result);
        return CompletableFuture.completedFuture(response);
    }
}
