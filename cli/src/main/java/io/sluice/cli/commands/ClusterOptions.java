package io.sluice.cli.commands;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where a local cluster lives and where the Sluice build is. */
public final class ClusterOptions {

    @Option(names = "--data", description = "Data directory of the local cluster (default: ./data).")
    Path data = Path.of("data");

    Path dataDir() {
        return data.toAbsolutePath().normalize();
    }

    /** The Sluice checkout whose service jars run: $SLUICE_HOME, set by the sluice script, or the working directory. */
    static Path home() {
        String home = System.getenv("SLUICE_HOME");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }
}
