package io.sluice.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.config.ConfigResource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice topic}: create, list, describe, alter and delete topics through the gateway. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Manage topics.",
        subcommands = {TopicCommand.Create.class, TopicCommand.ListTopics.class, TopicCommand.Describe.class,
                TopicCommand.Alter.class, TopicCommand.Delete.class})
public final class TopicCommand {

    static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

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
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-p", "--partitions"}, description = "Partitions (default: the cluster's).")
        int partitions = -1;
        @Option(names = {"-r", "--replication-factor"}, description = "Replication factor (default: the cluster's).")
        short replicationFactor = -1;
        @Option(names = {"-c", "--config"}, description = "Topic config key=value, repeatable.")
        List<String> config = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                NewTopic topic = new NewTopic(name, java.util.Optional.of(partitions).filter(p -> p > 0),
                        java.util.Optional.of(replicationFactor).filter(r -> r > 0)).configs(configs(config));
                await(admin.createTopics(List.of(topic)).all());
                System.out.println("Created topic " + name);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                await(admin.listTopics().names()).stream().sorted().forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe a topic: partitions, "
            + "replicas, configs set on it.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                TopicDescription description = await(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
                System.out.printf("Topic %s (id %s): %d partitions%n", name, description.topicId(),
                        description.partitions().size());
                description.partitions().forEach(p -> System.out.printf("  partition %d  replicas %s  isr %s%n",
                        p.partition(), p.replicas().stream().map(n -> n.id()).toList(),
                        p.isr().stream().map(n -> n.id()).toList()));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
                config.entries().stream().filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                        .forEach(e -> System.out.printf("  %s=%s%n", e.name(), e.value()));
            }
            return 0;
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true, description = "Grow partitions or set configs.")
    static final class Alter implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-p", "--partitions"}, description = "New (larger) partition count.")
        Integer partitions;
        @Option(names = {"-c", "--config"}, description = "Topic config key=value to set, repeatable.")
        List<String> config = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                if (partitions != null) {
                    await(admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all());
                    System.out.println("Topic " + name + " now has " + partitions + " partitions");
                }
                if (!config.isEmpty()) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    List<AlterConfigOp> ops = configs(config).entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()),
                                    AlterConfigOp.OpType.SET))
                            .toList();
                    await(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
                    System.out.println("Topic " + name + " configs updated");
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its data.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(client.properties())) {
                await(admin.deleteTopics(List.of(name)).all());
                System.out.println("Deleted topic " + name);
            }
            return 0;
        }
    }
}
