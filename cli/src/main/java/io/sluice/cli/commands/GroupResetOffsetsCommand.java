package io.sluice.cli.commands;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice group reset-offsets}: moves a group's committed offsets, as kafka-consumer-groups.sh does. */
@Command(name = "reset-offsets", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Move the committed offsets of a consumer group that has no active members.",
        "Without --execute it is a dry run: it prints each partition's current and new offset and changes "
                + "nothing. New offsets stay within the log, from its first offset to its end." })
final class GroupResetOffsetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Parameters(paramLabel = "GROUP", description = "The group id.")
    String group;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;
    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    /** Which partitions to reset. */
    static final class Scope {
        @Option(names = { "-t",
                "--topic" }, paramLabel = "TOPIC[:P,...]", required = true, description = "A topic, or some of its partitions "
                        + "(orders:0,2); repeatable.")
        List<String> topics;
        @Option(names = "--all-topics", required = true, description = "Every partition the group has a committed offset on.")
        boolean allTopics;
    }

    /** Where to move the offsets. */
    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "To the first offset of the log.")
        boolean toEarliest;
        @Option(names = "--to-latest", required = true, description = "To the end of the log.")
        boolean toLatest;
        @Option(names = "--to-offset", paramLabel = "N", required = true, description = "To offset N.")
        Long toOffset;
        @Option(names = "--shift-by", paramLabel = "N", required = true, description = "By N from the committed offset (negative: back).")
        Long shiftBy;
        @Option(names = "--to-datetime", paramLabel = "ISO-8601", required = true, description = "To the first "
                + "record at or after the time, e.g. 2026-12-01T18:00:00Z (without a zone: local time).")
        String toDatetime;

        OffsetReset reset() {
            if (toEarliest) {
                return new OffsetReset.ToEarliest();
            }
            if (toLatest) {
                return new OffsetReset.ToLatest();
            }
            if (toOffset != null) {
                return new OffsetReset.ToOffset(toOffset);
            }
            if (shiftBy != null) {
                return new OffsetReset.ShiftBy(shiftBy);
            }
            return OffsetReset.ToDatetime.parse(toDatetime, ZoneId.systemDefault());
        }
    }

    /** Whether to apply the plan. */
    static final class Mode {
        @Option(names = "--dry-run", description = "Print the plan only (the default).")
        boolean dryRun;
        @Option(names = "--execute", description = "Commit the new offsets.")
        boolean execute;
    }

    @Override
    public Integer call() throws Exception {
        OffsetReset reset = target.reset();
        List<TopicSelection> selections = scope.allTopics ? List.of()
                : scope.topics.stream().map(TopicSelection::parse).toList();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(client.properties())) {
            GroupAdmin groups = new GroupAdmin(admin);
            Optional<ConsumerGroupDescription> description = groups.find(group);
            if (description.isPresent() && description.get().groupState() != GroupState.EMPTY) {
                throw new IllegalStateException("consumer group " + group + " is " + description.get().groupState()
                        + " with " + description.get().members().size() + " active member"
                        + (description.get().members().size() == 1 ? "" : "s")
                        + ": offsets can only be reset while it has none (stop its consumers first)");
            }
            Map<TopicPartition, Long> committed = groups.committed(group);
            ResetPlan plan = ResetPlan.of(reset, offsets(groups, partitions(groups, selections, committed), committed, reset));
            Table table = new Table("TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
            plan.moves().forEach(m -> table.row(m.partition().topic(), m.partition().partition(),
                    GroupCommand.orDash(m.current()), m.target()));
            table.print(out);
            if (!mode.execute) {
                out.println("Dry run: nothing changed. Run again with --execute to commit these offsets.");
                return 0;
            }
            admin.alterConsumerGroupOffsets(group, plan.offsets()).all().get();
            out.println("Committed the new offsets of " + plan.moves().size() + " partition"
                    + (plan.moves().size() == 1 ? "" : "s") + " for consumer group " + group + ".");
        }
        return 0;
    }

    private TreeSet<TopicPartition> partitions(GroupAdmin groups, List<TopicSelection> selections,
            Map<TopicPartition, Long> committed) throws Exception {
        TreeSet<TopicPartition> partitions = new TreeSet<>(PartitionLag.ORDER);
        if (scope.allTopics) {
            if (committed.isEmpty()) {
                throw new IllegalArgumentException("consumer group " + group + " has no committed offsets; name the "
                        + "partitions with --topic");
            }
            partitions.addAll(committed.keySet());
            return partitions;
        }
        for (TopicSelection selection : selections) {
            partitions.addAll(groups.partitions(selection));
        }
        return partitions;
    }

    private static SortedMap<TopicPartition, OffsetReset.PartitionOffsets> offsets(GroupAdmin groups,
            TreeSet<TopicPartition> partitions, Map<TopicPartition, Long> committed, OffsetReset reset)
            throws Exception {
        List<TopicPartition> list = new ArrayList<>(partitions);
        Map<TopicPartition, Long> earliest = groups.offsets(list, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = groups.offsets(list, OffsetSpec.latest());
        Map<TopicPartition, Long> atTimestamp = reset.timestamp().isPresent()
                ? groups.offsets(list, OffsetSpec.forTimestamp(reset.timestamp().getAsLong()))
                : Map.of();
        SortedMap<TopicPartition, OffsetReset.PartitionOffsets> offsets = new TreeMap<>(PartitionLag.ORDER);
        for (TopicPartition p : partitions) {
            Long current = committed.get(p);
            Long found = atTimestamp.get(p);
            offsets.put(p, new OffsetReset.PartitionOffsets(
                    current == null ? OptionalLong.empty() : OptionalLong.of(current), earliest.get(p),
                    latest.get(p), found == null || found < 0 ? OptionalLong.empty() : OptionalLong.of(found)));
        }
        return offsets;
    }
}
