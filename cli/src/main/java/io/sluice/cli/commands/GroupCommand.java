package io.sluice.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice group}: list, describe, reset and delete consumer groups through the gateway. */
@Command(name = "group", mixinStandardHelpOptions = true, description = "Manage consumer groups (through the "
        + "gateway, with Kafka's Admin client), as kafka-consumer-groups.sh does.", subcommands = {
                GroupCommand.ListGroups.class, GroupCommand.Describe.class, GroupResetOffsetsCommand.class,
                GroupCommand.Delete.class, GroupCommand.DeleteOffsets.class })
public final class GroupCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: list, describe, reset-offsets, delete or delete-offsets");
    }

    /** {@code topic(0,1,2)} per topic, as Kafka's tool prints an assignment. */
    static String assignment(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return "-";
        }
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition()));
        return byTopic.entrySet().stream().map(e -> e.getKey() + "(" + e.getValue().stream().sorted()
                .map(String::valueOf).collect(Collectors.joining(",")) + ")").collect(Collectors.joining(" "));
    }

    static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    static String orDash(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "-";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer groups: state, type, protocol and number of members.")
    static final class ListGroups implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(client.properties())) {
                List<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()
                        .stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList();
                if (groups.isEmpty()) {
                    out.println("No consumer groups.");
                    return 0;
                }
                Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(
                        groups.stream().map(GroupListing::groupId).toList()).all().get();
                Table table = new Table("GROUP", "STATE", "TYPE", "PROTOCOL", "MEMBERS");
                for (GroupListing group : groups) {
                    ConsumerGroupDescription description = described.get(group.groupId());
                    table.row(group.groupId(), description.groupState(),
                            group.type().map(Object::toString).orElse("-"), orDash(group.protocol()),
                            description.members().size());
                }
                table.print(out);
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = { "Describe a consumer group: its "
            + "state, coordinator and members, and per partition the committed offset, the log-end offset, the lag "
            + "and the member that owns it.", "A partition without a committed offset shows - for offset and lag." })
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "GROUP", description = "The group id.")
        String group;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(client.properties())) {
                GroupAdmin groups = new GroupAdmin(admin);
                ConsumerGroupDescription description = groups.existing(group);
                Map<TopicPartition, Long> committed = groups.committed(group);
                List<PartitionLag> partitions = PartitionLag.of(description.members(), committed,
                        groups.logEnds(partitionsOf(description, committed)));
                printGroup(out, description);
                printMembers(out, description.members());
                printPartitions(out, partitions);
            }
            return 0;
        }

        private static List<TopicPartition> partitionsOf(ConsumerGroupDescription description,
                Map<TopicPartition, Long> committed) {
            List<TopicPartition> partitions = new ArrayList<>(committed.keySet());
            description.members().forEach(m -> partitions.addAll(m.assignment().topicPartitions()));
            return partitions.stream().distinct().toList();
        }

        private static void printGroup(PrintWriter out, ConsumerGroupDescription description) {
            Node coordinator = description.coordinator();
            out.printf("Consumer group %s: %s, %s, assignor %s, coordinator %s%n", description.groupId(),
                    description.groupState(), description.type(), orDash(description.partitionAssignor()),
                    coordinator == null ? "-"
                            : coordinator.host() + ":" + coordinator.port() + " (id "
                                    + coordinator.id() + ")");
        }

        private static void printMembers(PrintWriter out, Collection<MemberDescription> members) {
            out.println();
            if (members.isEmpty()) {
                out.println("No active members.");
                return;
            }
            Table table = new Table("CONSUMER-ID", "GROUP-INSTANCE-ID", "CLIENT-ID", "HOST", "#PARTITIONS",
                    "ASSIGNMENT");
            members.stream().sorted((a, b) -> a.consumerId().compareTo(b.consumerId())).forEach(m -> table.row(
                    m.consumerId(), m.groupInstanceId().orElse("-"), orDash(m.clientId()), orDash(m.host()),
                    m.assignment().topicPartitions().size(), assignment(m.assignment().topicPartitions())));
            table.print(out);
        }

        private static void printPartitions(PrintWriter out, List<PartitionLag> partitions) {
            out.println();
            if (partitions.isEmpty()) {
                out.println("No partitions assigned and no offsets committed.");
                return;
            }
            Table table = new Table("TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID",
                    "HOST", "CLIENT-ID");
            for (PartitionLag p : partitions) {
                table.row(p.partition().topic(), p.partition().partition(), orDash(p.committed()),
                        orDash(p.logEnd()), orDash(p.lag()), p.owner().map(MemberDescription::consumerId).orElse("-"),
                        p.owner().map(m -> orDash(m.host())).orElse("-"),
                        p.owner().map(m -> orDash(m.clientId())).orElse("-"));
            }
            table.print(out);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete consumer groups and their "
            + "committed offsets; a group must have no active members.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "GROUP", arity = "1..*", description = "The group ids.")
        List<String> groups;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                Map<String, KafkaFuture<Void>> deletions = admin.deleteConsumerGroups(groups).deletedGroups();
                for (String group : groups) {
                    try {
                        deletions.get(group).get();
                    } catch (ExecutionException e) {
                        throw groupError(group, e);
                    }
                    spec.commandLine().getOut().println("Deleted consumer group " + group);
                }
            }
            return 0;
        }

        private static Exception groupError(String group, ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new IllegalArgumentException("consumer group " + group + " does not exist", e.getCause());
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                return new IllegalStateException("consumer group " + group + " has active members: stop its "
                        + "consumers first", e.getCause());
            }
            return e;
        }
    }

    @Command(name = "delete-offsets", mixinStandardHelpOptions = true, description = "Delete a group's committed "
            + "offsets of some partitions; the group must not be subscribed to their topics.")
    static final class DeleteOffsets implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "GROUP", description = "The group id.")
        String group;
        @Option(names = { "-t",
                "--topic" }, paramLabel = "TOPIC[:P,...]", required = true, description = "A topic, or some of its "
                        + "partitions; repeatable.")
        List<String> topics;

        @Override
        public Integer call() throws Exception {
            List<TopicSelection> selections = topics.stream().map(TopicSelection::parse).toList();
            try (Admin admin = Admin.create(client.properties())) {
                GroupAdmin groups = new GroupAdmin(admin);
                groups.existing(group);
                List<TopicPartition> partitions = new ArrayList<>();
                for (TopicSelection selection : selections) {
                    partitions.addAll(groups.partitions(selection));
                }
                try {
                    admin.deleteConsumerGroupOffsets(group, Set.copyOf(partitions)).all().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupSubscribedToTopicException) {
                        throw new IllegalStateException("consumer group " + group + " is subscribed to "
                                + String.join(", ", topics) + ": stop its consumers first", e.getCause());
                    }
                    throw e;
                }
                spec.commandLine().getOut().println("Deleted the offsets of " + partitions.size() + " partition"
                        + (partitions.size() == 1 ? "" : "s") + " of consumer group " + group);
            }
            return 0;
        }
    }
}
