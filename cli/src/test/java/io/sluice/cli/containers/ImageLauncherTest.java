package io.sluice.cli.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images' launcher, {@code deploy/images/run-java.sh}, run with a {@code java} that prints its arguments. */
class ImageLauncherTest {

    private static final Path LAUNCHER = Path.of("..", "deploy", "images", "run-java.sh");

    @TempDir
    Path bin;

    @BeforeEach
    void fakeJava() throws Exception {
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theJvmRunsTheSerialCollectorWithTheImagesOptionsThenThePods() throws Exception {
        String line = launch(Map.of("JAVA_OPTS_APPEND", "-Dquarkus.http.host=0.0.0.0 -Xmx2g"));

        assertThat(line).isEqualTo("-XX:MaxRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC "
                + "-Dquarkus.http.host=0.0.0.0 -Xmx2g -jar /deployments/quarkus-run.jar");
    }

    @Test
    void aCollectorChosenInThePodsOptionsReplacesTheSerialOne() throws Exception {
        String line = launch(Map.of("JAVA_OPTS_APPEND", "-Xmx8g -XX:+UseG1GC -XX:MaxGCPauseMillis=20"));

        assertThat(line).doesNotContain("SerialGC").contains("-XX:+UseG1GC");
    }

    @Test
    void jvmOptionsOfTheirOwnReplaceTheImagesDefaultsAndKeepTheirCollector() throws Exception {
        assertThat(launch(Map.of("JAVA_OPTS", "-Xmx1g -XX:+UseZGC")))
                .isEqualTo("-Xmx1g -XX:+UseZGC -jar /deployments/quarkus-run.jar");
        assertThat(launch(Map.of("JAVA_OPTS", "-Xmx1g")))
                .isEqualTo("-Xmx1g -XX:+UseSerialGC -jar /deployments/quarkus-run.jar");
    }

    private String launch(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", LAUNCHER.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_APP_JAR"));
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
