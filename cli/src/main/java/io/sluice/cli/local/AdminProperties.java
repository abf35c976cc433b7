package io.sluice.cli.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code <data>/admin.properties} of a secured local cluster: the Kafka client configuration of its super user
 * {@code admin} (SASL_SSL, SCRAM-SHA-512, the cluster's CA as trust store), which Kafka's own tools take with
 * {@code --command-config} and {@code sluice} commands read by themselves. Its presence is how a data directory
 * remembers that its cluster is secured. Readable by its owner only.
 */
public final class AdminProperties {

    public static final String NAME = "admin.properties";
    private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

    private AdminProperties() {
    }

    public static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /** A new password for the super user: 144 random bits. */
    public static String newPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The super user's password, when the data directory holds a secured cluster. */
    public static Optional<String> password(Path dataDir) {
        Path file = path(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Matcher matcher = PASSWORD.matcher(read(file).getProperty("sasl.jaas.config", ""));
        if (!matcher.find()) {
            throw new IllegalStateException(file + " names no password in sasl.jaas.config");
        }
        return Optional.of(matcher.group(1));
    }

    public static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    /** Writes the file for the layout's super user. */
    public static Path write(ClusterLayout layout) {
        ClusterLayout.Security security = layout.security();
        String text = "# Kafka client settings of Sluice's super user; use with --command-config\n"
                + "bootstrap.servers=" + layout.secureBootstrapServers() + "\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + ClusterLayout.ADMIN + "\" password=\"" + security.adminPassword() + "\";\n"
                + "ssl.truststore.type=PEM\n"
                + "ssl.truststore.location=" + layout.tlsDir().resolve("ca.crt") + "\n";
        Path file = path(layout.dataDir());
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
