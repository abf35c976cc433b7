package io.sluice.cli.containers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command, always with the {@code runc} runtime: crun cannot set resource limits on every machine
 * Sluice runs on. No daemon: each call is a process of its own.
 */
public final class Podman {

    /** What a finished podman command printed, and how it exited. */
    public record Result(int exitCode, String out, String err) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final String executable;

    public Podman() {
        this(System.getenv().getOrDefault("SLUICE_PODMAN", "podman"));
    }

    Podman(String executable) {
        this.executable = executable;
    }

    /** Whether podman can be run at all. */
    public boolean available() {
        try {
            return call(null, "version", "--format", "{{.Client.Version}}").ok();
        } catch (ContainerException e) {
            return false;
        }
    }

    /** Runs {@code podman args…} and returns its output; a non-zero exit is a {@link ContainerException}. */
    public String run(String... args) {
        return run(null, List.of(args));
    }

    /** Runs podman with {@code input} on its standard input; a non-zero exit is a {@link ContainerException}. */
    public String run(String input, List<String> args) {
        Result result = call(input, args.toArray(String[]::new));
        if (!result.ok()) {
            throw new ContainerException("podman " + String.join(" ", args.subList(0, Math.min(2, args.size())))
                    + " failed (exit " + result.exitCode() + "): " + result.err().strip());
        }
        return result.out();
    }

    /** Runs {@code podman args…} and returns how it ended, whatever that was. */
    public Result call(String input, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.add("--runtime");
        command.add("runc");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ContainerException("podman " + args[0] + " did not finish in 10 minutes");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new ContainerException("cannot run podman (" + e.getMessage()
                    + "); install it: apt-get install podman runc uidmap netavark aardvark-dns", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while podman " + args[0] + " ran", e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
