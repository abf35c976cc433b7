package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The cap on live tails open at once on a gateway ({@code sluice.gateway.http.max-streams}, set to
 * {@value #MAX_STREAMS} for the system tests' clusters in the failsafe configuration): an SSE stream or a WebSocket
 * beyond it is refused with 429 and {@code Retry-After} before anything is set up for it, the gateway serves everything
 * else meanwhile, and the slots come back once their clients have left.
 */
@SluiceCluster
class HttpStreamLimitIT {

    private static final int MAX_STREAMS = 40;

    static TestCluster cluster;

    @BeforeAll
    static void topic(Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic("limit-tail", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void tailsBeyondTheLimitAreRefusedAndTheirSlotsComeBackOnceTheirClientsLeave() throws Exception {
        String stream = cluster.httpUrl() + "/topics/limit-tail/stream";
        // Tails an earlier test class left may still hold slots, until their next step notices.
        double leftOver = openStreams();
        List<SseEvents> streams = new ArrayList<>();
        try {
            while (streams.size() < MAX_STREAMS && openStreams() < MAX_STREAMS) {
                streams.add(SseEvents.open(stream, null));
            }
            assertThat(streams.size()).isBetween((int) (MAX_STREAMS - leftOver), MAX_STREAMS);

            assertThatThrownBy(() -> SseEvents.open(stream, null)).hasMessageStartingWith("status 429");
            given().get(stream).then().statusCode(429).header("Retry-After", "1");
            assertThat(SocketMessages.handshakeStatus(cluster.httpUrl() + "/topics/limit-tail/ws")).isEqualTo(429);
            given().get("/topics").then().statusCode(200);
        } finally {
            streams.forEach(SseEvents::close);
        }
        // Each tail notices its client has gone at its next step, within a fetch's wait (10 s).
        await().atMost(Duration.ofSeconds(40)).until(() -> openStreams() == 0);
        try (SocketMessages socket = SocketMessages.open(cluster.httpUrl() + "/topics/limit-tail/ws");
                SseEvents again = SseEvents.open(stream, null)) {
            assertThat(openStreams()).isEqualTo(2);
        }
    }

    /** The gateway's open live tails, from its metrics. */
    private static double openStreams() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("sluice_http_streams_open"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static RequestSpecification given() {
        return RestAssured.given().baseUri(cluster.httpUrl());
    }
}
