package io.sluice.cli.commands;

import java.util.ArrayList;
import java.util.List;

/** A {@code --topic} argument of a reset: {@code T} for every partition of T, {@code T:0,2} for some of them. */
record TopicSelection(String topic, List<Integer> partitions) {

    TopicSelection {
        partitions = List.copyOf(partitions);
    }

    /** Whether the selection names no partition, so it means all of the topic's partitions. */
    boolean allPartitions() {
        return partitions.isEmpty();
    }

    static TopicSelection parse(String argument) {
        int colon = argument.lastIndexOf(':');
        String topic = colon < 0 ? argument : argument.substring(0, colon);
        if (topic.isBlank()) {
            throw new IllegalArgumentException("--topic '" + argument + "' names no topic");
        }
        if (colon < 0) {
            return new TopicSelection(topic, List.of());
        }
        List<Integer> partitions = new ArrayList<>();
        for (String partition : argument.substring(colon + 1).split(",", -1)) {
            try {
                int p = Integer.parseInt(partition.trim());
                if (p < 0) {
                    throw new NumberFormatException();
                }
                partitions.add(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--topic '" + argument + "': '" + partition
                        + "' is not a partition number (the form is TOPIC or TOPIC:P,P...)");
            }
        }
        return new TopicSelection(topic, partitions);
    }
}
