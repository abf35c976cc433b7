package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class SluiceTest {

    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Sluice.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("up", "down", "status", "topic", "produce", "consume", "--version",
                "--verbose");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"up"}, {"down"}, {"status"}, {"topic"}, {"topic", "create"},
                {"topic", "list"}, {"topic", "describe"}, {"topic", "alter"}, {"topic", "delete"}, {"produce"},
                {"consume"}}) {
            out.getBuffer().setLength(0);
            String[] args = Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";

            assertThat(run(args)).as(String.join(" ", args)).isZero();
            assertThat(out.toString()).as(String.join(" ", args)).contains("Usage: sluice " + String.join(" ", command));
        }
        assertThat(out.toString()).contains("--max-messages", "--from-beginning", "--partition");
    }

    @Test
    void upDocumentsItsFlags() {
        run("up", "--help");

        assertThat(out.toString()).contains("--brokers", "--data", "--kafka-port", "--http-port", "--port-base",
                "--foreground", "(default: 3)", "(default: 8080)");
    }

    @Test
    void versionNamesSluiceAndJava() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString()).startsWith("sluice ").contains("Java 17");
    }

    @Test
    void anErrorIsOneLineWithoutStackTrace() {
        int code = run("up", "--data", data.toString(), "--brokers", "0");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("sluice: a cluster needs at least one broker" + System.lineSeparator());
    }

    @Test
    void verboseAddsTheStackTraceOnAnySubcommand() {
        int code = run("up", "--data", data.toString(), "--kafka-port", "9093", "--verbose");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("sluice: port 9093 would be used twice")
                .contains("java.lang.IllegalArgumentException", "\tat io.sluice.cli.cluster.ClusterLayout");
    }

    @Test
    void aMissingSubcommandOrAlterationIsAUsageError() {
        assertThat(run("topic")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");

        assertThat(run("topic", "alter", "orders")).isEqualTo(2);
        assertThat(err.toString()).contains("Nothing to alter");

        assertThat(run("consume")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'TOPIC'");
    }

    @Test
    void statusWithoutAClusterSaysSoAndFails() {
        assertThat(run("status", "--data", data.toString())).isEqualTo(1);
    }

    @Test
    void downWithoutAClusterSaysSoAndSucceeds() {
        assertThat(run("down", "--data", data.toString())).isZero();
    }
}
