package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.local.ClusterLayout;
import io.sluice.cli.local.FakeServices;
import io.sluice.cli.local.LocalCluster;
import io.sluice.cli.local.Member;

/** The packaged {@code sluice.jar} run as a user runs it, against fake service jars. */
class SluiceCommandIT {

    private static final Path JAR = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));

    @TempDir
    Path home;
    @TempDir
    Path data;

    private ClusterLayout layout;
    private List<String> upArgs;

    /** What a finished command printed. */
    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void fakeServicesOnFreePorts() throws IOException {
        FakeServices.install(home);
        while (true) {
            int shift = ThreadLocalRandom.current().nextInt(10_000, 20_000);
            int kafkaPort = 9092 + shift + 900;
            layout = ClusterLayout.standard(data, 2, 1, kafkaPort, kafkaPort + 1, shift);
            if (layout.members().stream().flatMap(m -> m.ports().keySet().stream()).allMatch(SluiceCommandIT::free)) {
                break;
            }
        }
        upArgs = List.of("up", "--data", data.toString(), "--brokers", "2", "--port-base",
                Integer.toString(layout.coordinators().get(0).kafkaPort() - 9093), "--kafka-port",
                Integer.toString(layout.gateway().kafkaPort()), "--http-port", Integer.toString(layout.gateway().httpPort()),
                "--timeout", "60");
    }

    @AfterEach
    void stopEverything() {
        LocalCluster.recorded(home, data).ifPresent(c -> c.stop(p -> {
        }));
    }

    @Test
    void upReturnsOnceReadyAndTheMembersOutliveIt() throws Exception {
        Result up = sluice(upArgs);

        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("Starting Sluice: 1 coordinator, 2 brokers, 1 gateway",
                "coordinator  ready in", "broker-2     ready in", "gateway      ready in",
                "Kafka bootstrap: 127.0.0.1:" + layout.gateway().kafkaPort(),
                "HTTP:            http://127.0.0.1:" + layout.gateway().httpPort(),
                "Stop it with: sluice down --data " + data);
        LocalCluster cluster = LocalCluster.recorded(home, data).orElseThrow();
        assertThat(cluster.notRunning()).isEmpty();
        assertThat(layout.members()).allSatisfy(m -> assertThat(cluster.ready(m)).as(m.name()).isTrue());

        Result again = sluice(upArgs);
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("already running", "127.0.0.1:" + layout.gateway().kafkaPort());

        cluster.kill("broker-2");
        Result revived = sluice(upArgs);
        assertThat(revived.code()).as(revived.err()).isZero();
        assertThat(revived.out()).contains("broker-2     not running: starting it again", "broker-2     ready in");
        LocalCluster whole = LocalCluster.recorded(home, data).orElseThrow();
        assertThat(whole.notRunning()).isEmpty();

        // A broker is ready only with a majority of the brokers (its store): two crashed together start together.
        whole.kill("broker-1");
        whole.kill("broker-2");
        Result bothRevived = sluice(upArgs);
        assertThat(bothRevived.code()).as(bothRevived.err()).isZero();
        assertThat(bothRevived.out()).containsSubsequence("broker-1     not running: starting it again",
                "broker-2     not running: starting it again", "broker-1     ready in", "broker-2     ready in");

        Result status = sluice("status", "--data", data.toString());
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).containsPattern("broker-2 +broker +2 +\\d+ +" + layout.member("broker-2").kafkaPort()
                + " +" + layout.member("broker-2").httpPort() + " +" + layout.member("broker-2").jgroupsPort()
                + " +ready").contains("Cluster fake: brokers alive [1, 2]", "No topics.");

        Result down = sluice("down", "--data", data.toString());
        assertThat(down.code()).isZero();
        assertThat(down.out()).containsSubsequence("gateway      stopped", "shutting down the store",
                "broker-1     stopped", "coordinator  stopped", "Stopped in");
        assertThat(cluster.running()).isFalse();
        assertThat(data.resolve("cluster.json")).doesNotExist();

        assertThat(sluice("status", "--data", data.toString()).code()).isEqualTo(1);
    }

    @Test
    void aFailedStartShowsTheFailingMembersLogAndStopsTheRest() throws Exception {
        Files.createDirectories(data.resolve("broker-1"));
        Files.createFile(data.resolve("broker-1/fail-on-start"));

        Result up = sluice(upArgs);

        assertThat(up.code()).isEqualTo(1);
        assertThat(up.err()).startsWith("sluice: broker-1 exited during start-up with code 3")
                .contains("boom: the fake broker was told to fail").doesNotContain("\tat ");
        assertThat(LocalCluster.recorded(home, data)).isEmpty();
        assertNoMemberRuns();
    }

    @Test
    void foregroundStaysUntilCtrlCThenStopsTheCluster() throws Exception {
        List<String> args = new ArrayList<>(upArgs);
        args.add("--foreground");
        Process cli = start(args);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = cli.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("Ctrl-C stops the cluster")) {
                lines.add(line);
            }
            assertThat(line).as(String.join("\n", lines)).isNotNull();
            assertThat(cli.isAlive()).isTrue();

            signal("INT", cli.pid());

            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out.lines().toList()).contains("Stopping Sluice")
                    .anyMatch(l -> l.startsWith("  coordinator  stopped (pid "));
        }
        assertNoMemberRuns();
        assertThat(data.resolve("cluster.json")).doesNotExist();
    }

    @Test
    void aSigtermWhileStartingStopsWhatWasStarted() throws Exception {
        Files.createDirectories(data.resolve("gateway"));
        Files.createFile(data.resolve("gateway/never-ready"));
        Process cli = start(upArgs);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(cli));

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(data.resolve("gateway/member.log"))
                && Files.readString(data.resolve("gateway/member.log")).contains("fake gateway started"));
        signal("TERM", cli.pid());

        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.get(10, TimeUnit.SECONDS)).contains("Stopping Sluice", "Stopped.");
        assertNoMemberRuns();
    }

    private void assertNoMemberRuns() throws IOException {
        for (Member member : layout.members()) {
            Path log = layout.logFile(member);
            if (Files.exists(log)) {
                try (Stream<String> lines = Files.lines(log)) {
                    lines.filter(l -> l.contains(" pid ") && l.startsWith("fake "))
                            .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                            .forEach(pid -> assertThat(ProcessHandle.of(pid)).as(member.name() + " pid " + pid)
                                    .isEmpty());
                }
            }
        }
    }

    private Result sluice(String... args) throws Exception {
        return sluice(List.of(args));
    }

    private Result sluice(List<String> args) throws Exception {
        Process cli = start(args);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> new String(readAll(cli.getErrorStream()),
                StandardCharsets.UTF_8));
        // Reading to the end also checks that no member holds on to the CLI's output.
        String out = read(cli);
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("sluice " + args + " ended").isTrue();
        return new Result(cli.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SLUICE_HOME", home.toString());
        return builder.start();
    }

    private static String read(Process process) {
        return new String(readAll(process.getInputStream()), StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
