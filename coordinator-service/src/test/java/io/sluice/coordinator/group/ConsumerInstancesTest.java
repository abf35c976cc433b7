package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.group.ConsumerInstance.Partition;
import io.sluice.coordinator.group.ConsumerInstance.Position;
import io.sluice.coordinator.group.InstanceView.PartitionPosition;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP consumer instances on the group thread, on a real one-node state store: topic {@code orders} has five
 * partitions, {@code audit} two. At most three instances may be open.
 */
class ConsumerInstancesTest {

    private static final Map<String, Integer> TOPICS = Map.of("orders", 5, "audit", 2);
    private static StateStore store;

    private GroupCoordinator groups;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("consumer-instances-test");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void startGroups() {
        store.withPrefix("").keySet().forEach(store::remove);
        groups = start();
    }

    @AfterEach
    void stopGroups() {
        groups.close();
    }

    private GroupCoordinator start() {
        GroupCoordinator started = new GroupCoordinator(store, new ObjectMapper(),
                new GroupSettings(6_000, 1_800_000, 0, 4096, 604_800_000, 600_000, 45_000, 5_000, 1_000),
                new InstanceSettings(300_000, 3),
                topic -> Optional.ofNullable(TOPICS.get(topic)).map(n -> new TopicShape(Uuid.randomUuid(), n)),
                TOPICS::keySet, System::currentTimeMillis);
        started.start();
        return started;
    }

    private void create(String name) {
        groups.createInstance(new ConsumerInstance("g", name, "binary", Map.of(), List.of(), null, List.of(),
                List.of(), "/10.0.0." + name.length())).join();
    }

    private List<Integer> partitionsOf(String name, String topic) {
        return groups.instance("g", name).join().partitions().stream().filter(p -> p.topic().equals(topic))
                .map(PartitionPosition::partition).toList();
    }

    private static InstanceRefusal.Reason refusal(Runnable request) {
        try {
            request.run();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InstanceRefusal refusal) {
                return refusal.reason();
            }
            throw e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void subscribedInstancesSplitEachTopicInRangesByNameAndALeaverGivesItsShareBack() {
        create("c");
        create("a");
        create("b");
        groups.subscribeInstance("g", "a", List.of("orders"), null).join();
        groups.subscribeInstance("g", "b", List.of("orders", "audit"), null).join();
        groups.subscribeInstance("g", "c", List.of(), "o.*").join();

        assertThat(partitionsOf("a", "orders")).containsExactly(0, 1);
        assertThat(partitionsOf("b", "orders")).containsExactly(2, 3);
        assertThat(partitionsOf("c", "orders")).containsExactly(4);
        assertThat(partitionsOf("b", "audit")).containsExactly(0, 1);

        groups.deleteInstance("g", "b").join();

        assertThat(partitionsOf("a", "orders")).containsExactly(0, 1, 2);
        assertThat(partitionsOf("c", "orders")).containsExactly(3, 4);
    }

    /**
     * The bridge keeps a subscribed instance as a Kafka consumer in the group, so kafka-consumer-groups shows it: a
     * Stable group whose members are the subscribed instances, each with the partitions it reads, as Kafka's consumer
     * protocol encodes them. An instance given partitions by hand is not a member, as an assigning consumer is not.
     */
    @Test
    void subscribedInstancesAreTheGroupsMembersInDescribeAndList() {
        create("a");
        create("b");
        create("by-hand");
        groups.subscribeInstance("g", "a", List.of("orders"), null).join();
        groups.subscribeInstance("g", "b", List.of("orders", "audit"), null).join();
        groups.assignInstance("g", "by-hand", List.of(new Partition("audit", 1))).join();

        DescribedGroup group = groups.describe(new DescribeGroupsRequestData().setGroups(List.of("g"))).join()
                .groups().get(0);

        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.protocolType()).isEqualTo("consumer");
        assertThat(group.members()).extracting(DescribedGroupMember::memberId).containsExactly("a", "b");
        assertThat(group.members()).extracting(DescribedGroupMember::clientHost).containsOnly("/10.0.0.1");
        assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(group.members().get(1).memberAssignment()))
                .partitions()).containsExactly(new TopicPartition("audit", 0), new TopicPartition("audit", 1),
                        new TopicPartition("orders", 3), new TopicPartition("orders", 4));
        assertThat(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(group.members().get(1).memberMetadata()))
                .topics()).containsExactly("audit", "orders");
        assertThat(groups.list(new ListGroupsRequestData()).join().groups())
                .extracting(ListedGroup::groupId, ListedGroup::groupState, ListedGroup::protocolType)
                .containsExactly(tuple("g", "Stable", "consumer"));
        assertThat(groups.delete(new DeleteGroupsRequestData().setGroupsNames(List.of("g"))).join().results())
                .extracting(DeletableGroupResult::errorCode).containsExactly(Errors.NON_EMPTY_GROUP.code());

        groups.deleteInstance("g", "a").join();
        groups.deleteInstance("g", "b").join();

        assertThat(groups.describe(new DescribeGroupsRequestData().setGroups(List.of("g"))).join().groups().get(0)
                .groupState()).isEqualTo("Dead");
        assertThat(groups.list(new ListGroupsRequestData()).join().groups()).isEmpty();
    }

    @Test
    void instancesWithTheirPositionsOutliveTheActiveCoordinator() {
        create("a");
        groups.assignInstance("g", "a", List.of(new Partition("audit", 1))).join();
        groups.seekInstance("g", "a", List.of(new Position("audit", 1, 42)), false).join();

        groups.close();
        groups = start();

        assertThat(groups.instance("g", "a").join().partitions())
                .containsExactly(new PartitionPosition("audit", 1, 42L, null));
    }

    @Test
    void commitsAreTheGroupsCommittedOffsetsAndStartAnInstanceThatTakesThePartitionOver() {
        create("a");
        groups.subscribeInstance("g", "a", List.of("audit"), null).join();
        groups.seekInstance("g", "a", List.of(new Position("audit", 0, 7)), false).join();
        groups.commitInstance("g", "a", null, null).join();
        groups.deleteInstance("g", "a").join();

        create("b");
        groups.subscribeInstance("g", "b", List.of("audit"), null).join();

        assertThat(groups.instance("g", "b").join().partitions()).containsExactly(
                new PartitionPosition("audit", 0, null, 7L), new PartitionPosition("audit", 1, null, null));
    }

    @Test
    void refusalsNameWhatIsWrong() {
        create("a");
        assertThat(refusal(() -> create("a"))).isEqualTo(InstanceRefusal.Reason.CONFLICT);
        assertThat(refusal(() -> groups.instance("g", "nobody").join())).isEqualTo(InstanceRefusal.Reason.NOT_FOUND);
        groups.subscribeInstance("g", "a", List.of("orders"), null).join();
        assertThat(refusal(() -> groups.assignInstance("g", "a", List.of(new Partition("orders", 0))).join()))
                .isEqualTo(InstanceRefusal.Reason.CONFLICT);
        assertThat(refusal(() -> groups.seekInstance("g", "a", List.of(new Position("audit", 0, 1)), false).join()))
                .isEqualTo(InstanceRefusal.Reason.NOT_FOUND);
        assertThat(refusal(() -> groups.subscribeInstance("g", "a", List.of(), "(").join()))
                .isEqualTo(InstanceRefusal.Reason.INVALID);
        create("b");
        create("c");
        assertThatThrownBy(() -> create("d")).cause().isInstanceOf(InstanceRefusal.class)
                .extracting(e -> ((InstanceRefusal) e).reason()).isEqualTo(InstanceRefusal.Reason.TOO_MANY);
    }
}
