package io.sluice.cli.commands;

import java.util.Optional;
import java.util.concurrent.Callable;

import io.sluice.cli.containers.ContainerCluster;
import io.sluice.cli.local.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice down}: stops the local cluster. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local cluster: gateway, brokers, "
        + "then the coordinator, each with SIGTERM (killed after 30 s). The data stays; sluice up starts the cluster "
        + "again on it. A cluster of containers is stopped and its containers removed, last started first; their volumes "
        + "stay under DIR/containers.")
public final class DownCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions options;

    @Override
    public Integer call() {
        Optional<ContainerCluster> containers = ContainerCluster.recorded(ClusterOptions.home(), options.dataDir());
        if (containers.isPresent()) {
            System.out.println("Stopping Sluice's containers (volumes in " + options.dataDir() + ")");
            long started = System.nanoTime();
            containers.get().down(System.out::println);
            System.out.printf("Stopped in %.1fs. The volumes stay; sluice up --containers%s starts the cluster "
                    + "again on them.%n", (System.nanoTime() - started) / 1e9, options.dataFlag());
            return 0;
        }
        Optional<LocalCluster> cluster = LocalCluster.recorded(ClusterOptions.home(), options.dataDir());
        if (cluster.isEmpty()) {
            System.out.println("No cluster is running from " + options.dataDir() + ".");
            return 0;
        }
        if (!cluster.get().running()) {
            cluster.get().stop(p -> {
            });
            System.out.println("No cluster is running from " + options.dataDir() + " (its members had exited).");
            return 0;
        }
        System.out.println("Stopping Sluice (data in " + options.dataDir() + ")");
        long started = System.nanoTime();
        cluster.get().stop(System.out::println);
        System.out.printf("Stopped in %.1fs. The data stays; sluice up%s starts the cluster again.%n",
                (System.nanoTime() - started) / 1e9, options.dataFlag());
        return 0;
    }
}
