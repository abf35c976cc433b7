import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The client settings every bench tool starts from: those in the file the system property {@code bench.client.config}
 * names, if any (bench/run --secure gives the cluster's SASL_SSL settings this way, as Kafka's tools take
 * {@code --command-config}), then the bootstrap address the tool was given; the tool's own settings go on top.
 */
final class ClientConfig {

    static final String PROPERTY = "bench.client.config";

    private ClientConfig() {
    }

    static Properties base(String bootstrap) {
        Properties props = new Properties();
        String file = System.getProperty(PROPERTY, "");
        if (!file.isEmpty()) {
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                props.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the client settings in " + file, e);
            }
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }
}
