package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** librdkafka's command-line client (Debian's kcat), run with its connection settings first. */
record Kcat(List<String> connection) {

    /** Runs kcat with the arguments, {@code input} (if any) on its standard input; its output, once it exits 0. */
    String run(String input, String... args) throws IOException, InterruptedException {
        return exited(start(input, args), true, args);
    }

    /** Runs kcat with the arguments, no input; its output, once it exits with a failure. */
    String fail(String... args) throws IOException, InterruptedException {
        return exited(start(null, args), false, args);
    }

    private static String exited(Process process, boolean succeeds, String... args) throws IOException,
            InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue() == 0).as("kcat %s exited %d, saying:%n%s", List.of(args),
                process.exitValue(), output).isEqualTo(succeeds);
        return output;
    }

    private Process start(String input, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kcat"));
        command.addAll(connection);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        return process;
    }
}
