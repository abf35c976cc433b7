package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.cli.local.Member;
import io.sluice.protocol.codec.SupportedApis;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * A protocol fuzzer against the gateway, a broker's own port and the gateway's SASL_SSL listener before a login:
 * mutated frames of every served API, at every served version, while a real producer writes. Every frame must be answered or
 * its connection closed (a valid one answered),
 * no member may die, run out of memory or fail to serve a request (logged at ERROR), the producer's records must all be there
 * afterwards, and whatever the
 * fuzzer managed to store must still be readable to the end. The seed is
 * printed; {@code -Dsluice.fuzz.seed=N} replays a run, {@code -Dsluice.fuzz.frames=N} makes it longer.
 */
@SluiceCluster(disruptive = true)
class ProtocolFuzzIT {

    private static final String TOPIC = "fuzz-target";
    private static final String WITNESS = "fuzz-witness";
    private static final int FRAMES = Integer.getInteger("sluice.fuzz.frames", 1_000);
    private static final long SEED = Long.getLong("sluice.fuzz.seed", System.nanoTime());
    /**
     * APIs that may rightly hold an answer back (a long poll, a wait for a rebalance or for replicas, an acks=0
     * produce): waited for 2 s, then their connection is dropped. Any other goes 10 s without an answer only in a stall.
     */
    private static final Set<ApiKeys> MAY_WAIT = Set.of(ApiKeys.FETCH, ApiKeys.PRODUCE, ApiKeys.JOIN_GROUP,
            ApiKeys.SYNC_GROUP, ApiKeys.END_TXN, ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS,
            ApiKeys.CREATE_PARTITIONS);

    static TestCluster cluster;

    @BeforeAll
    static void topics(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 3), new NewTopic(WITNESS, 3, (short) 3)))
                .all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void gatewayServesThroughMutatedFrames(KafkaClients clients) throws Exception {
        Member gateway = cluster.layout().gateway();
        fuzzWhileProducing(clients, gateway.name(), () -> fuzz(() -> new RawKafka("127.0.0.1:" + gateway.kafkaPort()),
                false, new MutatedFrames(GatewayContract.APIS, TOPIC, SEED), FRAMES, frame -> true));
    }

    /**
     * What anyone who reaches the gateway's SASL_SSL listener may send before logging in: mutated frames of every API
     * the gateway serves, each on a fresh TLS connection. Before a login only ApiVersions and SaslHandshake are
     * served, so a valid one of those must be answered; any other frame may close its connection, but not stall it.
     */
    @Test
    void saslListenerAnswersOrClosesEveryFrameBeforeLogin(KafkaClients clients) throws Exception {
        Set<ApiKeys> servedBeforeLogin = Set.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE);
        Connector stranger = () -> RawKafka.overTls(cluster.secureBootstrapServers(), cluster.caCertificate());
        fuzzWhileProducing(clients, "the SASL_SSL listener", () -> fuzz(stranger, true,
                new MutatedFrames(GatewayContract.APIS, TOPIC, SEED + 2), FRAMES / 4,
                frame -> servedBeforeLogin.contains(frame.api())));

        // Few of the frames above were valid: the listener still answers what it must and logs users in.
        try (RawKafka connection = stranger.connect()) {
            assertThat(((ApiVersionsResponseData) connection.call(new ApiVersionsRequestData(), (short) 3))
                    .errorCode()).isZero();
            // v0 would have raw SASL tokens follow: advertised for librdkafka, answered with an error if sent
            assertThat(((SaslHandshakeResponseData) connection.call(
                    new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"), (short) 0)).errorCode())
                    .isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(((SaslHandshakeResponseData) connection.call(
                    new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"), (short) 1)).errorCode()).isZero();
        }
        assertThat(SecureClients.admin(cluster).topics()).contains(TOPIC, WITNESS);
    }

    /**
     * What a member reaches once logged in: the broker's own APIs. Its SASL APIs are left out: a mutated SASL step
     * closes the connection, as it must, and the valid frame behind it would count as refused.
     */
    @Test
    void brokerServesThroughMutatedFrames(KafkaClients clients) throws Exception {
        Member broker = cluster.layout().brokers().get(0);
        SupportedApis apis = SupportedApis.of(BrokerContract.DATA_APIS,
                List.of(BrokerContract.APIS.range(ApiKeys.WRITE_TXN_MARKERS)));
        fuzzWhileProducing(clients, broker.name(), () -> fuzz(
                () -> new RawKafka("127.0.0.1:" + broker.kafkaPort()).logInAsMember(cluster.memberSecret()), false,
                new MutatedFrames(apis, TOPIC, SEED + 1), FRAMES, frame -> true));
    }

    private void fuzzWhileProducing(KafkaClients clients, String target, Callable<Outcomes> fuzzing)
            throws Exception {
        System.out.printf("fuzzing %s, seed %d%n", target, SEED);
        Witness witness = new Witness(clients, target.replace(' ', '-'));
        Thread producing = new Thread(witness, "witness-producer");
        producing.start();
        Outcomes outcomes;
        try {
            outcomes = fuzzing.call();
        } finally {
            witness.stop.set(true);
            producing.join(60_000);
        }
        System.out.printf("%s: %s%n", target, outcomes);

        assertThat(outcomes.validClosed).as("valid requests whose connection was closed instead of answered")
                .isEmpty();
        assertThat(outcomes.stalled).as("requests neither answered nor closed within 10 s").isEmpty();
        for (Member member : cluster.layout().members()) {
            assertThat(cluster.ready(member.name())).as("%s alive and ready", member.name()).isTrue();
            String log = cluster.logTail(member.name(), 100_000);
            assertThat(log).as("%s log", member.name()).doesNotContain("OutOfMemoryError");
            // A request a member failed to serve is answered UNKNOWN_SERVER_ERROR and logged at ERROR: a bug.
            assertThat(log.lines().filter(line -> line.contains(" ERROR ")).toList())
                    .as("%s failed to serve", member.name()).isEmpty();
        }
        assertThat(witness.failures).as("sends of the real producer that failed").isEmpty();
        assertThat(witness.acknowledged.size()).isPositive();
        Set<String> read = ConcurrentHashMap.newKeySet();
        clients.readAll(WITNESS, 3, Integer.MAX_VALUE, Duration.ofSeconds(5)).forEach(r -> read.add(r.value()));
        assertThat(read).as("acknowledged records read back").containsAll(witness.acknowledged);
        assertReadableToTheEnd(clients, TOPIC, 2);
    }

    /** Whatever the fuzzer's produce requests got stored, a real consumer reads every partition to its end. */
    private static void assertReadableToTheEnd(KafkaClients clients, String topic, int partitions) {
        try (KafkaConsumer<String, String> consumer = clients.consumer()) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (all.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            for (TopicPartition tp : all) {
                assertThat(consumer.position(tp)).as("%s read to its end", tp).isGreaterThanOrEqualTo(ends.get(tp));
            }
        }
    }

    /** Opens a connection to the target, logged in where the target wants that first. */
    private interface Connector {
        RawKafka connect() throws IOException;
    }

    /**
     * Sends {@code count} frames, a new connection after each one that was not answered (or after every frame when
     * {@code freshEach}).
     *
     * @param mustBeAnswered the valid frames that must be answered rather than closed
     */
    private static Outcomes fuzz(Connector target, boolean freshEach, MutatedFrames frames, int count,
            Predicate<MutatedFrames.Frame> mustBeAnswered) throws IOException {
        Outcomes outcomes = new Outcomes(mustBeAnswered);
        RawKafka connection = null;
        for (int i = 1; i <= count; i++) {
            if (connection == null) {
                connection = target.connect();
            }
            MutatedFrames.Frame frame = frames.next(i);
            connection.timeout(MAY_WAIT.contains(frame.api()) ? 2_000 : 10_000);
            String outcome = exchange(connection, frame.bytes());
            outcomes.count(frame, outcome);
            if (freshEach || !outcome.equals("answered")) {
                connection.close();
                connection = null;
            }
        }
        if (connection != null) {
            connection.close();
        }
        return outcomes;
    }

    /** Sends one frame and says what came of it: "answered", "closed" or "stalled". */
    private static String exchange(RawKafka connection, byte[] frame) {
        try {
            connection.writeFrame(frame);
            connection.readFrame();
            return "answered";
        } catch (SocketTimeoutException e) {
            return "stalled";
        } catch (IOException e) {
            return "closed";
        }
    }

    /** What the frames got, per API. */
    private static final class Outcomes {
        final Map<ApiKeys, Map<String, Integer>> byApi = new EnumMap<>(ApiKeys.class);
        final List<String> validClosed = new ArrayList<>();
        final List<String> stalled = new ArrayList<>();
        private final Predicate<MutatedFrames.Frame> mustBeAnswered;

        Outcomes(Predicate<MutatedFrames.Frame> mustBeAnswered) {
            this.mustBeAnswered = mustBeAnswered;
        }

        void count(MutatedFrames.Frame frame, String outcome) {
            byApi.computeIfAbsent(frame.api(), a -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
            String what = frame.api() + " v" + frame.version();
            if (frame.valid() && mustBeAnswered.test(frame) && !outcome.equals("answered")) {
                validClosed.add(what + " " + outcome);
            } else if (outcome.equals("stalled") && !MAY_WAIT.contains(frame.api())) {
                stalled.add(what);
            }
        }

        @Override
        public String toString() {
            return byApi.toString();
        }
    }

    /** A real producer writing through the gateway all along, one record every few milliseconds. */
    private static final class Witness implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final List<String> failures = new ArrayList<>();
        private final KafkaClients clients;
        private final String run;

        Witness(KafkaClients clients, String run) {
            this.clients = clients;
            this.run = run;
        }

        @Override
        public void run() {
            try (KafkaProducer<String, String> producer = clients.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
                for (int i = 0; !stop.get(); i++) {
                    String value = run + "-" + i;
                    producer.send(new ProducerRecord<>(WITNESS, value, value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(value);
                        } else {
                            synchronized (failures) {
                                failures.add(value + ": " + error);
                            }
                        }
                    });
                    Thread.sleep(5);
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
