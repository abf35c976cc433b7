package io.sluice.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

import io.sluice.cli.commands.AclCommand;
import io.sluice.cli.commands.ConsumeCommand;
import io.sluice.cli.commands.DownCommand;
import io.sluice.cli.commands.GroupCommand;
import io.sluice.cli.commands.ProduceCommand;
import io.sluice.cli.commands.StatusCommand;
import io.sluice.cli.commands.TopicCommand;
import io.sluice.cli.commands.UpCommand;
import io.sluice.cli.commands.UserCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code sluice} command. */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Sluice.Version.class, description = "Sluice, "
        + "a Kafka-compatible streaming platform: run a local cluster and work with its topics and consumer groups.", subcommands = {
                UpCommand.class, DownCommand.class, StatusCommand.class, TopicCommand.class, GroupCommand.class,
                ProduceCommand.class, ConsumeCommand.class, UserCommand.class, AclCommand.class,
                CommandLine.HelpCommand.class }, footer = { "",
                        "Start with: sluice up; then: sluice topic create NAME, sluice produce NAME, sluice consume NAME." })
public final class Sluice implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Sluice's error handling: one line per error, the stack trace only with --verbose. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Sluice());
        commandLine.setExecutionExceptionHandler(Sluice::handle);
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    private static int handle(Exception e, CommandLine command, ParseResult parsed) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        PrintWriter err = command.getErr();
        err.println("sluice: " + message(cause));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The error's message, with the root cause of a Kafka client's wrapper, and a hint where one helps. */
    static String message(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (error instanceof KafkaException && root != error && root.getMessage() != null
                && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        if (root instanceof TimeoutException) {
            // A secured cluster's listener closes on a client without its credentials: that too times out.
            message += " (is the cluster up, --bootstrap right, and, if the cluster is secured, --command-config its"
                    + " admin.properties? See sluice status)";
        }
        return message;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version the jar was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Sluice.class.getPackage().getImplementationVersion();
            return new String[] { "sluice " + (version == null ? "(development build)" : version),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")" };
        }
    }
}
