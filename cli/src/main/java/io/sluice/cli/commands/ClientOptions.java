package io.sluice.cli.commands;

import java.util.Properties;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The Kafka bootstrap address commands talk to: the gateway. */
public final class ClientOptions {

    @Option(names = { "-b", "--bootstrap" }, paramLabel = "HOST:PORT", description = "Kafka bootstrap address, the gateway "
            + "(default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:9092";

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the cluster to answer a "
            + "request (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    Properties properties() {
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("client.id", "sluice-cli");
        // Admin calls and the consumer's metadata and offset look-ups; the producer's wait for metadata.
        props.put("default.api.timeout.ms", Integer.toString(timeoutSeconds * 1000));
        props.put("max.block.ms", Integer.toString(timeoutSeconds * 1000));
        // Kafka's clients refuse a request timeout above the API timeout.
        props.put("request.timeout.ms", Integer.toString(Math.min(timeoutSeconds * 1000, 30_000)));
        return props;
    }
}
