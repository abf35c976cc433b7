package io.sluice.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.sluice.cli.local.AdminProperties;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The Kafka bootstrap address commands talk to, the gateway, and how they log in: a Kafka client configuration file
 * as Kafka's tools take it, by default the super user's of a secured local cluster in ./data.
 */
public final class ClientOptions {

    private static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(names = { "-b", "--bootstrap" }, paramLabel = "HOST:PORT", description = "Kafka bootstrap address, the gateway "
            + "(default: the configuration file's, else " + DEFAULT_BOOTSTRAP + ").")
    String bootstrap;

    @Option(names = "--command-config", paramLabel = "FILE", description = "Kafka client settings (security.protocol, "
            + "sasl.*, ssl.*), as Kafka's tools take them (default: ./data/" + AdminProperties.NAME
            + " when a secured local cluster made it).")
    Path commandConfig;

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
        Path config = commandConfig != null ? commandConfig : AdminProperties.path(Path.of("data"));
        if (commandConfig != null || (bootstrap == null && Files.exists(config))) {
            if (!Files.isReadable(config)) {
                throw new ParameterException(spec.commandLine(), "cannot read --command-config " + config);
            }
            props.putAll(AdminProperties.read(config));
        }
        if (bootstrap != null || !props.containsKey("bootstrap.servers")) {
            props.put("bootstrap.servers", bootstrap != null ? bootstrap : DEFAULT_BOOTSTRAP);
        }
        props.put("client.id", "sluice-cli");
        // Admin calls and the consumer's metadata and offset look-ups; the producer's wait for metadata.
        props.put("default.api.timeout.ms", Integer.toString(timeoutSeconds * 1000));
        props.put("max.block.ms", Integer.toString(timeoutSeconds * 1000));
        // Kafka's clients refuse a request timeout above the API timeout.
        props.put("request.timeout.ms", Integer.toString(Math.min(timeoutSeconds * 1000, 30_000)));
        return props;
    }
}
