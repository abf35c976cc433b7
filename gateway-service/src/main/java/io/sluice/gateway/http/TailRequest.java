package io.sluice.gateway.http;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * What a live tail follows, where it starts and how it shows records, from the request's parameters: checked before
 * anything streams, so a bad one is an HTTP error rather than a stream that ends at once.
 *
 * @param resumed each partition's next offset as a {@code Last-Event-ID} gave it; the others start at {@code start}
 */
record TailRequest(TopicView topic, List<Integer> partitions, Map<Integer, Long> resumed, TopicTail.Start start,
        EmbeddedFormat format) {

    /**
     * @param from earliest, latest (the default) or an offset
     * @param partition one partition only, or null for all
     * @param lastEventId an event's id to go on after, or null
     */
    static TailRequest of(TopicView topic, String from, String partition, String format, String lastEventId) {
        TopicTail.Start start = switch (from == null ? "latest" : from) {
            case "earliest" -> new TopicTail.Start.Earliest();
            case "latest" -> new TopicTail.Start.Latest();
            default -> new TopicTail.Start.At(Params.longIn("from", from, 0, 0, Long.MAX_VALUE));
        };
        EmbeddedFormat embedded = format == null ? EmbeddedFormat.BINARY : EmbeddedFormat.ofName(format);
        List<Integer> partitions;
        if (partition != null) {
            int p = Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE);
            PartitionReader.checkPartition(topic, p);
            partitions = List.of(p);
        } else if (topic.partitions().size() > TopicTail.MAX_PARTITIONS) {
            throw HttpError.unprocessable("topic " + topic.name() + " has " + topic.partitions().size() + " partitions;"
                    + " a stream follows at most " + TopicTail.MAX_PARTITIONS + ": tail them one by one with "
                    + "partition=");
        } else {
            partitions = topic.partitions().stream().map(PartitionView::partition).toList();
        }
        return new TailRequest(topic, partitions, resumeFrom(lastEventId, topic), start, embedded);
    }

    /**
     * Parses a {@code Last-Event-ID} ({@code 0:13,1:7}): each partition's next offset. Partitions not named start as
     * the request says.
     */
    private static Map<Integer, Long> resumeFrom(String lastEventId, TopicView topic) {
        Map<Integer, Long> positions = new TreeMap<>();
        if (lastEventId == null || lastEventId.isBlank()) {
            return positions;
        }
        for (String part : lastEventId.split(",", topic.partitions().size() + 1)) {
            String[] pair = part.trim().split(":", -1);
            if (pair.length != 2) {
                throw HttpError.badRequest("Last-Event-ID must be partition:offset pairs, as the stream's ids are");
            }
            int partition = Params.intIn("Last-Event-ID partition", pair[0], 0, 0, Integer.MAX_VALUE);
            PartitionReader.checkPartition(topic, partition);
            positions.put(partition, Params.longIn("Last-Event-ID offset", pair[1], 0, 0, Long.MAX_VALUE));
        }
        return positions;
    }
}
