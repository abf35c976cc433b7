package io.sluice.cli;

import io.sluice.cli.commands.ConsumeCommand;
import io.sluice.cli.commands.DownCommand;
import io.sluice.cli.commands.ProduceCommand;
import io.sluice.cli.commands.StatusCommand;
import io.sluice.cli.commands.TopicCommand;
import io.sluice.cli.commands.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "Sluice, a Kafka-compatible streaming platform: run a local cluster and work with its topics.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, TopicCommand.class,
                ProduceCommand.class, ConsumeCommand.class, CommandLine.HelpCommand.class})
public final class Sluice {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Sluice());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean verbose = parsed.hasMatchedOption("--verbose");
            cmd.getErr().println("sluice: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        System.exit(commandLine.execute(args));
    }
}
