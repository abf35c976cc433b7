package io.sluice.testcluster;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Where partitions end and where consumer groups have committed, as Admin reports them, in partition order. */
public final class Offsets {

    private static final Comparator<TopicPartition> BY_PARTITION = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private Offsets() {
    }

    /** The log-end offset of every partition of {@code topic}. */
    public static Map<TopicPartition, Long> end(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new TreeMap<>(BY_PARTITION);
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, o) -> ends.put(tp, o.offset()));
        return ends;
    }

    /** The offsets {@code group} has committed, for the partitions it has committed any. */
    public static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> offsets = new TreeMap<>(BY_PARTITION);
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> {
                    if (o != null) {
                        offsets.put(tp, o.offset());
                    }
                });
        return offsets;
    }
}
