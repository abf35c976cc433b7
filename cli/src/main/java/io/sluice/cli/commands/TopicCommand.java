package io.sluice.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice topic}: create, list, describe, alter and delete topics through the gateway. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Manage topics (through the gateway, "
        + "with Kafka's Admin client).", subcommands = { TopicCommand.Create.class, TopicCommand.ListTopics.class,
                TopicCommand.Describe.class,
                TopicCommand.Alter.class, TopicCommand.Delete.class })
public final class TopicCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, list, describe, alter or delete");
    }

    /** The future's value; an unknown topic is said so by name. */
    static <T> T get(KafkaFuture<T> future, String topic) throws InterruptedException, ExecutionException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("topic " + topic + " does not exist", e.getCause());
            }
            throw e;
        }
    }

    /** Parses {@code key=value} pairs. */
    static Map<String, String> configs(List<String> pairs) {
        Map<String, String> configs = new TreeMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("config '" + pair + "' is not key=value");
            }
            configs.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return configs;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;
        @Option(names = { "-p", "--partitions" }, paramLabel = "N", description = "Number of partitions (default: "
                + "the cluster's, 1).")
        Integer partitions;
        @Option(names = { "-r",
                "--replication-factor" }, paramLabel = "N", description = "Replicas of each partition (default: the "
                        + "cluster's, 3 or the number of brokers).")
        Short replicationFactor;
        @Option(names = { "-c",
                "--config" }, paramLabel = "KEY=VALUE", description = "A topic config such as retention.ms=86400000; "
                        + "repeatable.")
        List<String> config = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            NewTopic topic = new NewTopic(name, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                    .configs(configs(config));
            try (Admin admin = Admin.create(client.properties())) {
                admin.createTopics(List.of(topic)).all().get();
            }
            System.out.println("Created topic " + name);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics, one per line.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                admin.listTopics().names().get().stream().sorted().forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = { "Describe a topic: id, partitions "
            + "with replicas and in-sync replicas, and the configs set on it.",
            "The gateway is every partition's leader for clients; sluice status shows the brokers that lead." })
    static final class Describe implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                TopicDescription description = get(admin.describeTopics(List.of(name)).allTopicNames(), name).get(name);
                System.out.printf("Topic %s (id %s): %d partition%s%n", name, description.topicId(),
                        description.partitions().size(), description.partitions().size() == 1 ? "" : "s");
                description.partitions().forEach(p -> System.out.printf("  partition %d  replicas %s  isr %s%n",
                        p.partition(), p.replicas().stream().map(Node::id).toList(),
                        p.isr().stream().map(Node::id).toList()));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config = get(admin.describeConfigs(List.of(resource)).all(), name).get(resource);
                config.entries().stream().filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                        .forEach(e -> System.out.printf("  %s=%s%n", e.name(), e.value()));
            }
            return 0;
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true, description = "Add partitions or set configs.")
    static final class Alter implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;
        @Option(names = { "-p", "--partitions" }, paramLabel = "N", description = "The new number of partitions "
                + "(it can only grow).")
        Integer partitions;
        @Option(names = { "-c", "--config" }, paramLabel = "KEY=VALUE", description = "A topic config to set; repeatable.")
        List<String> config = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (partitions == null && config.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Nothing to alter: give --partitions or --config");
            }
            try (Admin admin = Admin.create(client.properties())) {
                if (partitions != null) {
                    get(admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all(), name);
                    System.out.println("Topic " + name + " now has " + partitions + " partitions");
                }
                if (!config.isEmpty()) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    List<AlterConfigOp> ops = configs(config).entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()),
                                    AlterConfigOp.OpType.SET))
                            .toList();
                    get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all(), name);
                    System.out.println("Topic " + name + ": set " + String.join(", ", configs(config).keySet()));
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its data.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "The topic's name.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                get(admin.deleteTopics(List.of(name)).all(), name);
            }
            System.out.println("Deleted topic " + name);
            return 0;
        }
    }
}
