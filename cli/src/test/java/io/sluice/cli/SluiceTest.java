package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
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

        assertThat(out.toString()).contains("up", "down", "status", "topic", "group", "produce", "consume", "--version",
                "--verbose");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] { { "up" }, { "down" }, { "status" }, { "topic" }, { "topic", "create" },
                { "topic", "list" }, { "topic", "describe" }, { "topic", "alter" }, { "topic", "delete" }, { "group" },
                { "group", "list" }, { "group", "describe" }, { "group", "reset-offsets" }, { "group", "delete" },
                { "group", "delete-offsets" }, { "produce" }, { "consume" } }) {
            out.getBuffer().setLength(0);
            String[] args = Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";

            assertThat(run(args)).as(String.join(" ", args)).isZero();
            assertThat(out.toString()).as(String.join(" ", args)).contains("Usage: sluice " + String.join(" ", command));
        }
        assertThat(out.toString()).contains("--max-messages", "--from-beginning", "--partition");
    }

    @Test
    void resetOffsetsDocumentsItsFlags() {
        run("group", "reset-offsets", "--help");

        assertThat(out.toString()).contains("--topic=TOPIC[:P,...]", "--all-topics", "--to-earliest", "--to-latest",
                "--to-offset=N", "--shift-by=N", "--to-datetime=ISO-8601", "--dry-run", "--execute", "dry run");
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
    void aClusterThatDoesNotAnswerInTimeIsExplainedWithWhatToCheck() throws Exception {
        int port;
        try (ServerSocket nobodyAnswers = new ServerSocket(0)) {
            port = nobodyAnswers.getLocalPort();
        }
        int code = run("topic", "list", "--bootstrap", "127.0.0.1:" + port, "--timeout", "1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("sluice: ").contains("Timed out")
                .contains("is the cluster up, --bootstrap right, and, if the cluster is secured, --command-config");
    }

    @Test
    void verboseAddsTheStackTraceOnAnySubcommand() {
        int code = run("up", "--data", data.toString(), "--kafka-port", "9093", "--verbose");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("sluice: port 9093 would be used twice")
                .contains("java.lang.IllegalArgumentException", "\tat io.sluice.cli.local.ClusterLayout");
    }

    @Test
    void aMissingSubcommandOrAlterationIsAUsageError() {
        assertThat(run("topic")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand");

        assertThat(run("topic", "alter", "orders")).isEqualTo(2);
        assertThat(err.toString()).contains("Nothing to alter");

        assertThat(run("consume")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'TOPIC'");

        assertThat(run("group")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand: list, describe, reset-offsets");
    }

    @Test
    void aResetNeedsExactlyOneTargetOneScopeAndOneMode() {
        assertThat(run("group", "reset-offsets", "g", "--topic", "orders")).isEqualTo(2);
        assertThat(err.toString()).contains("Error: Missing required argument", "--to-earliest");

        assertThat(run("group", "reset-offsets", "g", "--topic", "orders", "--to-earliest", "--shift-by", "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--to-earliest, --shift-by=N are mutually exclusive");

        assertThat(run("group", "reset-offsets", "g", "--to-latest")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required argument", "--all-topics");

        assertThat(run("group", "reset-offsets", "g", "--all-topics", "--to-latest", "--dry-run", "--execute"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--dry-run, --execute are mutually exclusive");
    }

    @Test
    void aBadResetArgumentFailsBeforeTheClusterIsAsked() {
        assertThat(run("group", "reset-offsets", "g", "--topic", "orders:one", "--to-earliest", "--bootstrap",
                "127.0.0.1:1", "--timeout", "1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("sluice: --topic 'orders:one': 'one' is not a partition number (the "
                + "form is TOPIC or TOPIC:P,P...)" + System.lineSeparator());

        err.getBuffer().setLength(0);
        assertThat(run("group", "reset-offsets", "g", "--all-topics", "--to-datetime", "soon", "--bootstrap",
                "127.0.0.1:1", "--timeout", "1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("sluice: --to-datetime 'soon' is not an ISO-8601 date and time");
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
