package io.sluice.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.sluice.cli.containers.ContainerCluster;
import io.sluice.cli.local.LocalCluster;
import io.sluice.cli.local.Member;
import io.sluice.cli.local.Role;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice status}: members, their health, topics and partition leaders. */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
        "Show each member of the local cluster (role, id, pid, ports, health), then the brokers and the "
                + "topics with their partition leaders as the active coordinator sees them. A coordinator's health "
                + "says whether it is the active replica or a standby. For a cluster of containers (sluice up "
                + "--containers): each container's name, role, address, state and health (its readiness probe, run now).",
        "Exit status 0 when every member is ready, 1 otherwise." })
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions options;

    @Override
    public Integer call() {
        Optional<ContainerCluster> containers = ContainerCluster.recorded(ClusterOptions.home(), options.dataDir());
        if (containers.isPresent()) {
            return printContainers(containers.get());
        }
        Optional<LocalCluster> recorded = LocalCluster.recorded(ClusterOptions.home(), options.dataDir());
        if (recorded.isEmpty()) {
            System.out.println("No cluster was started from " + options.dataDir() + ".");
            return 1;
        }
        LocalCluster cluster = recorded.get();
        boolean allReady = printMembers(cluster);
        Optional<JsonNode> view = cluster.probe().clusterView(cluster.layout().coordinators());
        if (view.isEmpty()) {
            System.out.println("\nNo active coordinator answers, so there is nothing to show about brokers and topics.");
            return 1;
        }
        printBrokers(view.get());
        printTopics(view.get());
        return allReady ? 0 : 1;
    }

    /** A cluster of containers: each pod's container, its state and its readiness probe's answer. */
    private static int printContainers(ContainerCluster cluster) {
        System.out.println("Sluice cluster in containers (podman); Cluster resource " + cluster.specFile());
        String format = "%-22s %-11s %-12s %-9s %-10s %s%n";
        System.out.printf(format, "CONTAINER", "ROLE", "ADDRESS", "STATE", "HEALTH", "PUBLISHED");
        boolean allReady = true;
        for (ContainerCluster.PodState pod : cluster.status()) {
            allReady &= pod.ready();
            System.out.printf(format, pod.name(), pod.role(), pod.address(), pod.state(), pod.health(),
                    pod.published().entrySet().stream().map(p -> "127.0.0.1:" + p.getKey() + "->" + p.getValue())
                            .collect(Collectors.joining(", ")));
        }
        Optional<JsonNode> view = cluster.clusterView();
        if (view.isEmpty()) {
            System.out.println("\nNo active coordinator answers, so there is nothing to show about brokers and topics.");
            return 1;
        }
        printBrokers(view.get());
        printTopics(view.get());
        return allReady ? 0 : 1;
    }

    private static boolean printMembers(LocalCluster cluster) {
        System.out.println("Sluice cluster in " + cluster.layout().dataDir() + "; Kafka bootstrap "
                + cluster.layout().bootstrapServers() + ", HTTP " + cluster.layout().httpUrl());
        String format = "%-13s %-11s %3s %8s %6s %6s %7s  %s%n";
        System.out.printf(format, "MEMBER", "ROLE", "ID", "PID", "KAFKA", "HTTP", "JGROUPS", "HEALTH");
        boolean allReady = true;
        for (Member m : cluster.layout().members()) {
            Optional<Long> pid = cluster.process(m.name()).map(p -> p.pid());
            boolean ready = pid.isPresent() && cluster.ready(m);
            allReady &= ready;
            String health = pid.isEmpty() ? "stopped"
                    : !ready ? "not ready"
                            : m.role() != Role.COORDINATOR ? "ready"
                                    : "ready, " + cluster.probe().coordinatorRole(m).orElse("?");
            System.out.printf(format, m.name(), m.role().label(), m.id() == 0 ? "-" : Integer.toString(m.id()),
                    pid.map(String::valueOf).orElse("-"), m.kafkaPort(), m.httpPort(),
                    m.jgroupsPort() == 0 ? "-" : Integer.toString(m.jgroupsPort()), health);
        }
        return allReady;
    }

    private static void printBrokers(JsonNode view) {
        List<String> alive = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        for (JsonNode b : view.path("brokers")) {
            (b.path("alive").asBoolean() ? alive : dead).add(b.path("id").asText());
        }
        System.out.printf("%nCluster %s: brokers alive %s%s%n", view.path("clusterId").asText("?"), alive,
                dead.isEmpty() ? "" : ", not alive " + dead);
    }

    private static void printTopics(JsonNode view) {
        if (view.path("topics").isEmpty()) {
            System.out.println("No topics.");
            return;
        }
        int width = 5;
        for (JsonNode topic : view.path("topics")) {
            width = Math.max(width, topic.path("name").asText().length());
        }
        String format = "%-" + width + "s %9s %6s %6s  %-12s %s%n";
        System.out.println();
        System.out.printf(format, "TOPIC", "PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR");
        for (JsonNode topic : view.path("topics")) {
            for (JsonNode p : topic.path("partitions")) {
                int leader = p.path("leader").asInt(-1);
                System.out.printf(format, topic.path("name").asText(), p.path("partition").asText(),
                        leader < 0 ? "none" : Integer.toString(leader), p.path("leaderEpoch").asText(),
                        p.path("replicas").toString(), p.path("isr").toString());
            }
        }
    }
}
