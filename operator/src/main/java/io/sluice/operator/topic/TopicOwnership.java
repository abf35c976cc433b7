package io.sluice.operator.topic;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which of several {@link Topic} resources naming the same topic of the same cluster manages it: the oldest one.
 * The others are refused with {@code ResourceConflict} and never change or delete the topic; when the owner is
 * deleted, the oldest of them takes the topic over.
 */
final class TopicOwnership {

    private static final Comparator<Topic> OLDEST_FIRST = Comparator
            .comparing((Topic t) -> t.getMetadata().getCreationTimestamp(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(t -> t.getMetadata().getNamespace())
            .thenComparing(t -> t.getMetadata().getName());

    private TopicOwnership() {
    }

    /** The resource that manages {@code topic}'s Kafka topic, when it is another one. */
    static Optional<Topic> ownerOtherThan(Topic topic, Stream<Topic> all) {
        Topic owner = Stream.concat(Stream.of(topic), all)
                .filter(Topic::managed)
                .filter(t -> sameTopic(t, topic))
                .min(OLDEST_FIRST)
                .orElse(topic);
        return sameResource(owner, topic) ? Optional.empty() : Optional.of(owner);
    }

    /**
     * The resource that takes {@code owner}'s Kafka topic over, records and all, when {@code owner} is deleted: the
     * oldest of the other managed resources that name the topic and are not being deleted themselves.
     */
    static Optional<Topic> successor(Topic owner, Stream<Topic> all) {
        return all.filter(Topic::managed)
                .filter(t -> !t.isMarkedForDeletion())
                .filter(t -> !sameResource(t, owner))
                .filter(t -> sameTopic(t, owner))
                .min(OLDEST_FIRST);
    }

    private static boolean sameTopic(Topic a, Topic b) {
        return Objects.equals(a.clusterName(), b.clusterName()) && a.clusterNamespace().equals(b.clusterNamespace())
                && a.topicName().equals(b.topicName());
    }

    private static boolean sameResource(Topic a, Topic b) {
        return a.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
                && a.getMetadata().getName().equals(b.getMetadata().getName());
    }
}
