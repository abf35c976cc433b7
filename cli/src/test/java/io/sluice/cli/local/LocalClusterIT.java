package io.sluice.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's mechanics on real processes: {@link FakeService} JVMs stand in for the services. */
class LocalClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path home;
    @TempDir
    Path data;

    private LocalCluster cluster;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void fakeServices() throws IOException {
        FakeServices.install(home);
        cluster = new LocalCluster(home, ClusterLayout.onFreePorts(data, 2, 1, 1));
    }

    @AfterEach
    void stopEverything() {
        cluster.shutDown(p -> {
        });
        startedPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void startsCoordinatorThenBrokersThenGatewayEachConfiguredByItsEnvironment() throws Exception {
        cluster.start(progress::add, TIMEOUT);

        ClusterLayout layout = cluster.layout();
        assertThat(layout.members()).allSatisfy(m -> assertThat(cluster.ready(m)).as(m.name()).isTrue());
        assertThat(runningMembers()).hasSize(4);
        assertThat(startTime(layout.coordinators().get(0))).isLessThan(startTime(layout.member("broker-1")));
        assertThat(startTime(layout.member("broker-2"))).isLessThan(startTime(layout.gateway()));
        assertThat(cluster.probe().aliveBrokers(layout.coordinators())).containsExactly(1, 2);
        Member broker = layout.member("broker-2");
        assertThat(Files.readString(layout.logFile(broker))).contains("env SLUICE_BROKER_ID=2",
                "env SLUICE_BROKER_PORT=" + broker.kafkaPort(), "env QUARKUS_HTTP_PORT=" + broker.httpPort(),
                "env SLUICE_DATA_DIR=" + data.resolve("broker-2").resolve("store"));
        assertThat(progress).anyMatch(line -> line.matches("\\s+coordinator\\s+ready in .*"))
                .anyMatch(line -> line.contains("sees brokers [1, 2] alive"))
                .anyMatch(line -> line.matches("\\s+gateway\\s+ready in .*"));
    }

    @Test
    void membersRunDetachedWithTheirRolesHeap() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid gives members a session of their own");
        cluster.start(progress::add, TIMEOUT);

        MemberProcess broker = cluster.process("broker-1").orElseThrow();
        ProcessHandle handle = ProcessHandle.of(broker.pid()).orElseThrow();
        assertThat(handle.info().arguments().orElseThrow()).contains("-Xmx512m", "-XX:+UseSerialGC");
        // Its own session: a Ctrl-C in the launcher's terminal does not reach it.
        assertThat(session(broker.pid())).isEqualTo(broker.pid()).isNotEqualTo(session(ProcessHandle.current().pid()));
    }

    @Test
    void anotherInvocationFindsTheClusterAndStopsItInOrder() throws Exception {
        cluster.start(progress::add, TIMEOUT);

        LocalCluster later = LocalCluster.recorded(home, data).orElseThrow();
        assertThat(later.notRunning()).isEmpty();
        later.stop(progress::add);

        ClusterLayout layout = cluster.layout();
        assertThat(startedPids()).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(runningMembers()).isEmpty();
        assertThat(stopTime(layout.gateway())).isLessThan(stopTime(layout.member("broker-1")));
        assertThat(stopTime(layout.member("broker-2"))).isLessThan(stopTime(layout.coordinators().get(0)));
        assertThat(Files.readString(layout.logFile(layout.member("broker-1"))) + Files.readString(
                layout.logFile(layout.member("broker-2")))).containsOnlyOnce("store shutdown requested");
        assertThat(data.resolve("cluster.json")).doesNotExist();
        assertThat(LocalCluster.recorded(home, data)).isEmpty();
    }

    @Test
    void startAfterStopUsesTheSameMembersAndData() throws Exception {
        cluster.start(progress::add, TIMEOUT);
        cluster.stop(progress::add);

        cluster.start(progress::add, TIMEOUT);

        Path log = cluster.layout().logFile(cluster.layout().member("broker-2"));
        assertThat(Files.readString(log).split("---- sluice: starting broker-2", -1)).hasSize(3);
        assertThat(MemberLog.tail(log, 100)).containsOnlyOnce("fake broker started");
        assertThat(LocalCluster.recorded(home, data).orElseThrow().notRunning()).isEmpty();
    }

    @Test
    void aMemberThatExitsDuringStartFailsTheStartWithItsLogAndStopsTheRest() throws Exception {
        Member broker = cluster.layout().member("broker-2");
        Files.createDirectories(cluster.layout().memberDir(broker));
        Files.createFile(cluster.layout().memberDir(broker).resolve("fail-on-start"));

        assertThatThrownBy(() -> cluster.start(progress::add, TIMEOUT))
                .isInstanceOf(ClusterStartException.class)
                .hasMessageContaining("broker-2 exited during start-up with code 3")
                .hasMessageContaining("boom: the fake broker was told to fail");
        assertThat(startedPids()).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(runningMembers()).isEmpty();
        assertThat(data.resolve("cluster.json")).doesNotExist();
    }

    @Test
    void aMemberThatNeverGetsReadyFailsTheStartWhenTimeIsUp() throws Exception {
        Member coordinator = cluster.layout().coordinators().get(0);
        Files.createDirectories(cluster.layout().memberDir(coordinator));
        Files.createFile(cluster.layout().memberDir(coordinator).resolve("never-ready"));

        assertThatThrownBy(() -> cluster.start(progress::add, Duration.ofSeconds(1)))
                .hasMessageContaining("coordinator not ready in time")
                .hasMessageContaining("the end of " + cluster.layout().logFile(coordinator));
        assertThat(runningMembers()).isEmpty();
        assertThat(cluster.layout().brokers()).allSatisfy(b -> assertThat(cluster.layout().logFile(b)).doesNotExist());
    }

    @Test
    void dataWrittenWithOneCoordinatorIsRefusedToThreeAndKeptAsItIs() throws Exception {
        Files.createDirectories(data.resolve("coordinator").resolve("store"));
        LocalCluster three = new LocalCluster(home, ClusterLayout.onFreePorts(data, 2, 3, 1));

        assertThatThrownBy(() -> three.start(progress::add, TIMEOUT))
                .hasMessageContaining("holds the state of 1 coordinator ([coordinator]), but this cluster has 3")
                .hasMessageContaining("--coordinators 1");
        assertThat(startedPids()).isEmpty();
        assertThat(data.resolve("coordinator").resolve("store")).isDirectory();
    }

    @Test
    void portsInUseAreReportedBeforeAnythingStarts() throws Exception {
        Member gateway = cluster.layout().gateway();
        try (ServerSocket taken = new ServerSocket(gateway.kafkaPort(), 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> cluster.start(progress::add, TIMEOUT))
                    .hasMessageContaining("port " + gateway.kafkaPort() + " (gateway kafka) is in use");
        }
        assertThat(startedPids()).isEmpty();
    }

    @Test
    void missingServiceJarsAreReportedBeforeAnythingStarts() throws Exception {
        Files.delete(MemberProcess.serviceJar(home, Role.GATEWAY));

        assertThatThrownBy(() -> cluster.start(progress::add, TIMEOUT))
                .hasMessageContaining("gateway-service/target/quarkus-app/quarkus-run.jar missing")
                .hasMessageContaining("./mvnw package -DskipTests");
        assertThat(startedPids()).isEmpty();
    }

    @Test
    void aKilledMemberDiesAtOnceAndStartsAgain() throws Exception {
        cluster.start(progress::add, TIMEOUT);
        Member broker = cluster.layout().member("broker-1");

        cluster.kill("broker-1");

        assertThat(cluster.process("broker-1")).isEmpty();
        assertThat(MemberLog.tail(cluster.layout().logFile(broker), 100)).doesNotContain("stopped gracefully");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.probe().aliveBrokers(cluster.layout().coordinators()).equals(Set.of(2)));
        assertThat(LocalCluster.recorded(home, data).orElseThrow().notRunning()).containsExactly(broker);

        cluster.start("broker-1", TIMEOUT);

        assertThat(cluster.ready(broker)).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.probe().aliveBrokers(cluster.layout().coordinators()).size() == 2);
    }

    @Test
    void aStoppedMemberShutsDownGracefully() throws Exception {
        cluster.start(progress::add, TIMEOUT);

        cluster.stop("gateway");

        assertThat(cluster.process("gateway")).isEmpty();
        assertThat(MemberLog.tail(cluster.layout().logFile(cluster.layout().gateway()), 100))
                .contains("fake gateway stopped gracefully");
        assertThatThrownBy(() -> cluster.start("broker-1", TIMEOUT)).hasMessageContaining("running already");
        cluster.start("gateway", TIMEOUT);
    }

    @Test
    void aShutDownDuringStartStopsWhatWasStartedAndLaunchesNothingMore() throws Exception {
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> cluster.start(progress::add, TIMEOUT));
        await().atMost(TIMEOUT).until(() -> cluster.process("coordinator").isPresent());

        cluster.shutDown(progress::add);

        assertThat(start).failsWithin(TIMEOUT);
        assertThat(runningMembers()).isEmpty();
    }

    private long startTime(Member member) throws IOException {
        return logTime(member, "started at (\\d+)");
    }

    private long stopTime(Member member) throws IOException {
        return logTime(member, "stopped gracefully at (\\d+)");
    }

    private long logTime(Member member, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(MemberLog.tail(cluster.layout().logFile(member), 1000));
        assertThat(m.find()).as(member.name() + " log has " + regex).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Every pid a fake service reported, in any run. */
    private List<Long> startedPids() {
        List<Long> pids = new ArrayList<>();
        for (Member member : cluster.layout().members()) {
            try {
                Path log = cluster.layout().logFile(member);
                if (Files.exists(log)) {
                    Matcher m = Pattern.compile("started at \\d+ pid (\\d+)").matcher(Files.readString(log));
                    while (m.find()) {
                        pids.add(Long.parseLong(m.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pids;
    }

    /** The member processes of this test still running (children of this JVM running this test's jars). */
    private List<ProcessHandle> runningMembers() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false)).toList();
    }

    private static long session(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
