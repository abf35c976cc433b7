package io.sluice.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.local.ClusterLayout;

class ClusterLogsTest {

    @TempDir
    Path dir;

    @Test
    void printsTheTailOfEveryMembersLogAndCopiesTheWholeLogsUnderTheTestClass() throws Exception {
        ClusterLayout layout = ClusterLayout.standard(dir.resolve("data"), 2, 1, 9092, 8080, 0);
        String brokerLog = IntStream.rangeClosed(1, 100).mapToObj(i -> "broker line " + i)
                .collect(Collectors.joining("\n", "", "\n"));
        write(layout.logFile(layout.member("broker-1")), brokerLog);
        write(layout.logFile(layout.member("coordinator")), "coordinator says hello\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new ClusterLogs(layout, dir.resolve("logs")).report("SomeIT", "someTest failed",
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).startsWith("==== someTest failed: member logs (whole logs in "
                + dir.resolve("logs/SomeIT").toAbsolutePath() + ") ====")
                .contains("---- coordinator ----\ncoordinator says hello", "---- broker-1 ----\nbroker line 41\n",
                        "broker line 100", "---- broker-2 ----\n(no log at ", "---- gateway ----\n(no log at ")
                .doesNotContain("broker line 40\n");
        assertThat(dir.resolve("logs/SomeIT/broker-1.log")).hasContent(brokerLog.strip());
        assertThat(dir.resolve("logs/SomeIT/coordinator.log")).hasContent("coordinator says hello");
        assertThat(dir.resolve("logs/SomeIT/broker-2.log")).doesNotExist();
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
