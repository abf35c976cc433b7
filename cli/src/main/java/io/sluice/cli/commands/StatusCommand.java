package io.sluice.cli.commands;

import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.cli.cluster.LocalCluster;
import io.sluice.cli.cluster.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice status}: members, their health, topics and partition leaders. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each member (role, id, pid, ports, health), then topics and their partition leaders.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions options;

    @Override
    public Integer call() throws Exception {
        Optional<LocalCluster> recorded = LocalCluster.recorded(ClusterOptions.home(), options.dataDir());
        if (recorded.isEmpty()) {
            System.out.println("No cluster was started from " + options.dataDir() + ".");
            return 1;
        }
        LocalCluster cluster = recorded.get();
        System.out.printf("%-12s %-11s %3s %8s %6s %6s %7s  %s%n", "MEMBER", "ROLE", "ID", "PID", "KAFKA", "HTTP",
                "JGROUPS", "HEALTH");
        for (Member m : cluster.layout().members()) {
            String pid = cluster.process(m.name()).map(p -> Long.toString(p.pid())).orElse("-");
            String health = cluster.process(m.name()).isEmpty() ? "stopped" : cluster.ready(m) ? "ready" : "not ready";
            System.out.printf("%-12s %-11s %3s %8s %6d %6d %7s  %s%n", m.name(), m.role().label(),
                    m.id() == 0 ? "-" : Integer.toString(m.id()), pid, m.kafkaPort(), m.httpPort(),
                    m.jgroupsPort() == 0 ? "-" : Integer.toString(m.jgroupsPort()), health);
        }
        Optional<String> body = cluster.get(cluster.layout().coordinator(), "/cluster");
        if (body.isEmpty()) {
            System.out.println("\nThe coordinator does not answer; no topic information.");
            return 1;
        }
        JsonNode state = new ObjectMapper().readTree(body.get());
        System.out.println("\nCluster " + state.path("clusterId").asText() + ", Kafka bootstrap "
                + cluster.layout().bootstrapServers());
        System.out.printf("%n%-30s %9s %6s %6s  %-10s %s%n", "TOPIC", "PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR");
        for (JsonNode topic : state.path("topics")) {
            for (JsonNode p : topic.path("partitions")) {
                System.out.printf("%-30s %9d %6s %6d  %-10s %s%n", topic.path("name").asText(), p.path("partition").asInt(),
                        p.path("leader").asInt() < 0 ? "none" : p.path("leader").asText(), p.path("leaderEpoch").asInt(),
                        p.path("replicas"), p.path("isr"));
            }
        }
        if (state.path("topics").isEmpty()) {
            System.out.println("(no topics)");
        }
        return 0;
    }
}
