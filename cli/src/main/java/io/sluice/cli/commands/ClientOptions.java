package io.sluice.cli.commands;

import java.util.Properties;

import picocli.CommandLine.Option;

/** The Kafka bootstrap address commands talk to. */
public final class ClientOptions {

    @Option(names = {"-b", "--bootstrap"}, description = "Kafka bootstrap address (default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:9092";

    Properties properties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("default.api.timeout.ms", "30000");
        return props;
    }
}
