package io.sluice.cli.commands;

import java.util.Optional;
import java.util.concurrent.Callable;

import io.sluice.cli.cluster.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice down}: stops the local cluster. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the local cluster: gateway, brokers, then the coordinator. Data stays for the next up.")
public final class DownCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions options;

    @Override
    public Integer call() {
        Optional<LocalCluster> cluster = LocalCluster.recorded(ClusterOptions.home(), options.dataDir());
        if (cluster.isEmpty() || !cluster.get().running()) {
            System.out.println("No cluster is running from " + options.dataDir() + ".");
            return 0;
        }
        System.out.println("Stopping Sluice");
        cluster.get().stop(System.out::println);
        System.out.println("Stopped. Data kept in " + options.dataDir());
        return 0;
    }
}
