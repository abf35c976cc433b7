package io.sluice.cli.commands;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.sluice.cli.cluster.ClusterLayout;
import io.sluice.cli.cluster.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice up}: starts a local cluster on loopback. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a local cluster: 1 coordinator, N brokers and 1 gateway, each its own JVM on loopback.")
public final class UpCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions options;

    @Option(names = "--brokers", description = "Number of brokers (default: ${DEFAULT-VALUE}).")
    int brokers = 3;

    @Option(names = "--kafka-port", description = "Gateway Kafka port (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(names = "--http-port", description = "Gateway HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(names = "--port-base", description = "Shift every internal port by this much, to run a second cluster "
            + "(default: ${DEFAULT-VALUE}).")
    int portShift = 0;

    @Option(names = "--timeout", description = "Seconds to wait for the cluster to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 300;

    @Option(names = "--foreground", description = "Stay attached; Ctrl-C stops the cluster.")
    boolean foreground;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        if (brokers < 1) {
            throw new IllegalArgumentException("--brokers must be at least 1");
        }
        if (LocalCluster.recorded(ClusterOptions.home(), options.dataDir()).filter(LocalCluster::running).isPresent()) {
            System.out.println("A cluster from " + options.dataDir() + " is already running; see ./sluice status.");
            return 1;
        }
        ClusterLayout layout = ClusterLayout.standard(options.dataDir(), brokers, kafkaPort, httpPort, portShift);
        LocalCluster cluster = new LocalCluster(ClusterOptions.home(), layout);
        System.out.println("Starting Sluice with " + brokers + " brokers, data in " + options.dataDir());
        long started = System.nanoTime();
        cluster.start(System.out::println, Duration.ofSeconds(timeoutSeconds));
        System.out.printf("Sluice is ready in %.1fs.%n  Kafka bootstrap: %s%n  HTTP:            %s%n",
                (System.nanoTime() - started) / 1e9, layout.bootstrapServers(), layout.httpUrl());
        if (!foreground) {
            System.out.println("Stop it with ./sluice down" + (options.data.toString().equals("data") ? ""
                    : " --data " + options.data));
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.stop(System.out::println);
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
