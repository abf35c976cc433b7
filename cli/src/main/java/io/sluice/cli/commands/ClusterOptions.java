package io.sluice.cli.commands;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sluice.cli.Sluice;

import picocli.CommandLine.Option;

/** Where a local cluster keeps its data, and where the Sluice build it runs is. */
public final class ClusterOptions {

    private static final String DEFAULT_DATA = "data";

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory of the local cluster "
            + "(default: ./data).")
    Path data = Path.of(DEFAULT_DATA);

    Path dataDir() {
        return data.toAbsolutePath().normalize();
    }

    /** The flag that names this data directory again, for messages ("" for the default). */
    String dataFlag() {
        return data.equals(Path.of(DEFAULT_DATA)) ? "" : " --data " + data;
    }

    /**
     * The Sluice checkout whose service jars run: {@code $SLUICE_HOME} (set by the sluice script), else the checkout
     * this jar was built in ({@code cli/target/sluice.jar}), else the working directory.
     */
    static Path home() {
        String home = System.getenv("SLUICE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Sluice.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path checkout = jar.getParent() == null ? null : jar.getParent().getParent();
            if (Files.isRegularFile(jar) && checkout != null && checkout.getParent() != null
                    && checkout.getFileName().toString().equals("cli")) {
                return checkout.getParent();
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
