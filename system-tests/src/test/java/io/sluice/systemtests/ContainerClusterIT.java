package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.protocol.contract.ServiceContract;
import io.sluice.testcluster.KafkaClients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The cluster as the operator's pods run it, in real containers: the images built by {@code deploy/images/build},
 * started by {@code sluice up --containers} (podman with runc), the brokers' ids taken from their StatefulSet-style
 * host names, peers found through the headless Service's DNS name, a real Kafka client on the published gateway.
 * A broker container killed and started again on its volume rejoins with its data; one replaced by a new container
 * on an empty volume takes its share from the others; nothing acknowledged is lost.
 * <p>
 * Not part of {@code ./mvnw verify}: it needs podman and builds images. {@code .ci/run} runs it with
 * {@code -Pcontainers}. Nothing here skips: images that do not build or containers that do not start fail it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerClusterIT {

    private static final Path HOME = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "containers";
    private static final List<String> CONTAINERS = List.of("sluice-coordinator-0", "sluice-broker-0",
            "sluice-broker-1", "sluice-broker-2", "sluice-gateway-0");

    @TempDir
    static Path data;

    static KafkaClients clients = new KafkaClients("127.0.0.1:9092");
    static final Map<String, String> acked = new ConcurrentHashMap<>();

    @BeforeAll
    static void buildImagesAndStartTheCluster() throws Exception {
        // A cluster left by an interrupted run would hold the names and ports.
        podman("rm", Stream.concat(Stream.of("--force", "--ignore"), CONTAINERS.stream()).toArray(String[]::new));
        Run build = run(Duration.ofMinutes(20), List.of(HOME.resolve("deploy/images/build").toString()));
        assertThat(build.exitCode()).as("deploy/images/build:\n%s", build.output()).isZero();

        Run up = sluice("up", "--containers", "--data", data.toString(), "--timeout", "300");

        assertThat(up.exitCode()).as("sluice up --containers:\n%s", up.output()).isZero();
    }

    @AfterAll
    static void stopTheCluster() throws Exception {
        Run down = sluice("down", "--data", data.toString());
        if (down.exitCode() != 0) {
            podman("rm", Stream.concat(Stream.of("--force", "--ignore"), CONTAINERS.stream()).toArray(String[]::new));
        }
        // The volumes belong to uid 185: JUnit's own clean-up, as root, removes them.
    }

    @Test
    @Order(1)
    void everyContainerIsHealthyWithTheImagesUserAndItsOrdinalsBrokerId() throws Exception {
        Run status = sluice("status", "--data", data.toString());

        assertThat(status.exitCode()).as(status.output()).isZero();
        for (String name : CONTAINERS) {
            assertThat(status.output()).containsPattern(name + " .* running +healthy");
            // Podman checks the readiness probe alone; the pod spec's startup and liveness probes must answer too.
            for (String path : List.of(ServiceContract.STARTED_PATH, ServiceContract.LIVE_PATH,
                    ServiceContract.READY_PATH)) {
                Run probe = podman("exec", name, "sh", "-c", "http-probe \"${QUARKUS_HTTP_PORT:-8080}\" " + path);
                assertThat(probe.exitCode()).as(name + " " + path + ": " + probe.output()).isZero();
            }
        }
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            String broker = "sluice-broker-" + ordinal;
            assertThat(podman("exec", broker, "sh", "-c", "tr '\\0' '\\n' < /proc/1/environ").output())
                    .contains("SLUICE_BROKER_ID=" + (ordinal + 1));
            assertThat(podman("exec", broker, "id", "-u").output().strip()).isEqualTo("185");
            // The image's launcher picks the collector the local cluster runs, not the JVM's own choice of G1.
            assertThat(podman("exec", broker, "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline").output())
                    .contains("-XX:+UseSerialGC");
            assertThat(podman("inspect", "--format", "{{.Config.Labels}}", broker).output())
                    .contains("org.opencontainers.image.version", "org.opencontainers.image.revision");
        }
        assertThat(aliveBrokers()).containsExactly(1, 2, 3);
    }

    @Test
    @Order(2)
    void producedRecordsAreConsumedThroughThePublishedGateway() throws Exception {
        try (Admin admin = clients.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get(60, TimeUnit.SECONDS);
        }
        produce("before", 3_000);

        assertThat(readAll()).containsAllEntriesOf(acked);
    }

    @Test
    @Order(3)
    void aKilledBrokerStartedAgainOnItsVolumeRejoinsWithItsData() throws Exception {
        Path volume = volume("sluice-broker-1");
        long before = size(volume);
        assertThat(before).as("broker-1's volume holds its data").isPositive();

        podman("kill", "--signal", "KILL", "sluice-broker-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> !aliveBrokers().contains(2));
        produce("while-killed", 1_000);
        Run up = sluice("up", "--containers", "--data", data.toString(), "--timeout", "300");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("sluice-broker-1", "started again on its volume");
        await().atMost(Duration.ofSeconds(60)).until(() -> aliveBrokers().size() == 3);
        assertThat(size(volume)).isGreaterThanOrEqualTo(before);
        assertThat(readAll()).containsAllEntriesOf(acked);
    }

    @Test
    @Order(4)
    void aBrokerReplacedOnAnEmptyVolumeTakesItsShareFromTheOthers() throws Exception {
        Path volume = volume("sluice-broker-2");
        podman("rm", "--force", "--time", "0", "sluice-broker-2");
        deleteTree(volume);
        await().atMost(Duration.ofSeconds(60)).until(() -> !aliveBrokers().contains(3));
        produce("while-replaced", 1_000);

        Run up = sluice("up", "--containers", "--data", data.toString(), "--timeout", "300");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("sluice-broker-2", "created");
        await().atMost(Duration.ofSeconds(60)).until(() -> aliveBrokers().size() == 3);
        // Its share comes back to it from the other replicas (RF 3 on 3 brokers: all of it) into the empty volume.
        long share = size(volume("sluice-broker-0"));
        await().atMost(Duration.ofSeconds(120)).until(() -> size(volume) >= share / 2);
        produce("after", 1_000);
        assertThat(readAll()).containsAllEntriesOf(acked);
    }

    @Test
    @Order(5)
    void downStopsTheContainersAndKeepsTheVolumes() throws Exception {
        Run down = sluice("down", "--data", data.toString());

        assertThat(down.exitCode()).as(down.output()).isZero();
        for (String name : CONTAINERS) {
            assertThat(podman("container", "exists", name).exitCode()).as(name).isNotZero();
        }
        assertThat(size(volume("sluice-broker-0"))).isPositive();
        Run status = sluice("status", "--data", data.toString());
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.output()).contains("sluice-broker-0").contains("absent");
    }

    /** Sends {@code count} records with acks=all and keeps the ones the cluster acknowledged. */
    private static void produce(String prefix, int count) throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = prefix + "-" + i;
                String value = "value-" + key;
                sends.add(producer.send(new ProducerRecord<>(TOPIC, key, value), (metadata, error) -> {
                    if (error == null) {
                        acked.put(key, value);
                    }
                }));
            }
            producer.flush();
            for (var send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, String> readAll() {
        Map<String, String> read = new ConcurrentHashMap<>();
        for (ConsumerRecord<String, String> record : clients.readAll(TOPIC, 3, acked.size(), Duration.ofSeconds(60))) {
            read.put(record.key(), record.value());
        }
        return read;
    }

    /** The brokers the coordinator counts as alive, asked inside its container (its port is not published). */
    private static Set<Integer> aliveBrokers() throws Exception {
        Run view = podman("exec", "sluice-coordinator-0", "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /cluster HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
        Set<Integer> alive = new TreeSet<>();
        int body = view.output().indexOf("\r\n\r\n");
        if (view.exitCode() != 0 || body < 0 || !view.output().startsWith("HTTP/1.0 200")
                && !view.output().startsWith("HTTP/1.1 200")) {
            return alive;
        }
        for (JsonNode broker : JSON.readTree(view.output().substring(body + 4)).path("brokers")) {
            if (broker.path("alive").asBoolean()) {
                alive.add(broker.path("id").asInt());
            }
        }
        return alive;
    }

    private static Path volume(String pod) {
        return data.resolve("containers/volumes").resolve(pod);
    }

    private static long size(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run sluice(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("sluice").toString()));
        command.addAll(List.of(args));
        return run(Duration.ofMinutes(10), command);
    }

    private static Run podman(String command, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("podman", "--runtime", "runc", command));
        line.addAll(List.of(args));
        return run(Duration.ofMinutes(2), line);
    }

    private static Run run(Duration timeout, List<String> command) throws Exception {
        Path log = Files.createTempFile("container-it", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Run(-1, String.join(" ", command) + " did not finish in " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.print(output);
            return new Run(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
