package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root {@code sluice} script, in a copy of the checkout whose Maven wrapper only records how it was called. */
class SluiceScriptIT {

    private static final Path SCRIPT = Path.of(System.getProperty("sluice.script", "../sluice"));
    private static final Path JAR = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));

    @TempDir
    Path checkout;

    @BeforeEach
    void copyTheScriptBesideARecordingWrapper() throws Exception {
        Files.copy(SCRIPT, checkout.resolve("sluice"));
        Path mvnw = checkout.resolve("mvnw");
        Files.writeString(mvnw, String.join("\n", "#!/usr/bin/env bash",
                "echo \"$@\" >> mvnw.calls",
                "for m in coordinator-service broker-service gateway-service; do",
                "  mkdir -p $m/target/quarkus-app && touch $m/target/quarkus-app/quarkus-run.jar",
                "done",
                "mkdir -p cli/target && cp '" + JAR.toAbsolutePath() + "' cli/target/sluice.jar", ""));
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(checkout.resolve("sluice"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void buildsWhatIsMissingOnceThenRunsTheCliWithItsHome() throws Exception {
        Run first = run("--version");
        Run second = run("--version");

        assertThat(first.code()).as(first.output()).isZero();
        assertThat(first.output()).contains("Building Sluice (first run only)…", "sluice 0.1.0");
        assertThat(Files.readString(checkout.resolve("mvnw.calls")).strip())
                .isEqualTo("-q -B -DskipTests -pl coordinator-service,broker-service,gateway-service,cli -am package");
        assertThat(second.output()).doesNotContain("Building").contains("sluice 0.1.0");
        // The CLI finds this checkout's service jars through SLUICE_HOME, wherever it is run from.
        Run status = run("status", "--data", checkout.resolve("nothing").toString());
        assertThat(status.output()).contains("No cluster was started from " + checkout.resolve("nothing"));
    }

    /** java prints "Picked up JAVA_TOOL_OPTIONS: …" before its version when that variable is set. */
    @Test
    void runsWhenJavaPrintsALineBeforeItsVersion() throws Exception {
        Run run = run(Map.of("JAVA_TOOL_OPTIONS", "-Dsluice.test=1"), "--version");

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("Java 17 or newer is needed").contains("sluice 0.1.0");
    }

    record Run(int code, String output) {
    }

    private Run run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    private Run run(Map<String, String> environment, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = checkout.resolve("sluice").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.getParent().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
