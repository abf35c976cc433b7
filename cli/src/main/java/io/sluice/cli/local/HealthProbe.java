package io.sluice.cli.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.security.MemberCredential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Asks members over HTTP whether they are ready, and the coordinator what it sees; on a secured cluster as a member,
 * which its endpoints other than health require.
 */
public final class HealthProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** HTTP/1.1 from the start: the members' endpoints speak nothing else, so no h2c upgrade is tried. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Optional<MemberCredential> member;

    public HealthProbe(Optional<MemberCredential> member) {
        this.member = member;
    }

    /** Whether the member answers 200 on {@code /q/health/ready}. */
    public boolean ready(Member member) {
        return send(HttpRequest.newBuilder(uri(member, ServiceContract.READY_PATH)).timeout(Duration.ofSeconds(3)))
                .filter(r -> r.statusCode() == 200).isPresent();
    }

    /**
     * The active coordinator's {@code GET /cluster}: brokers with liveness, topics with leaders, epochs, replicas, ISR.
     * Standby replicas answer 503, so the first replica that answers 200 is the active one.
     */
    public Optional<JsonNode> clusterView(List<Member> coordinators) {
        for (Member coordinator : coordinators) {
            Optional<JsonNode> view = json(coordinator, CoordinatorContract.CLUSTER_PATH);
            if (view.isPresent()) {
                return view;
            }
        }
        return Optional.empty();
    }

    /** A coordinator replica's role as its readiness check reports it ({@code active} or {@code standby}). */
    public Optional<String> coordinatorRole(Member coordinator) {
        return json(coordinator, ServiceContract.READY_PATH).flatMap(health -> {
            for (JsonNode check : health.path("checks")) {
                if (check.path("name").asText().equals("coordinator")) {
                    return Optional.of(check.path("data").path("role").asText("?"));
                }
            }
            return Optional.empty();
        });
    }

    private Optional<JsonNode> json(Member member, String path) {
        return send(HttpRequest.newBuilder(uri(member, path)).timeout(Duration.ofSeconds(5)))
                .filter(r -> r.statusCode() == 200)
                .flatMap(r -> {
                    try {
                        return Optional.of(JSON.readTree(r.body()));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
    }

    /** The ids of the brokers the active coordinator counts as alive (empty when none answers). */
    public SortedSet<Integer> aliveBrokers(List<Member> coordinators) {
        SortedSet<Integer> alive = new TreeSet<>();
        clusterView(coordinators).ifPresent(view -> view.path("brokers").forEach(b -> {
            if (b.path("alive").asBoolean()) {
                alive.add(b.path("id").asInt());
            }
        }));
        return alive;
    }

    /** Whether a broker's store serves every partition and moves no data between brokers ({@code /store/balance}). */
    public boolean storeBalanced(Member broker) {
        return send(HttpRequest.newBuilder(uri(broker, BrokerContract.STORE_BALANCE_PATH)).timeout(Duration.ofSeconds(5)))
                .filter(r -> r.statusCode() == 200).isPresent();
    }

    /** POSTs an empty body; whether the member answered 2xx within {@code timeout}. */
    public boolean post(Member member, String path, Duration timeout) {
        return send(HttpRequest.newBuilder(uri(member, path)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(timeout)).filter(r -> r.statusCode() / 100 == 2).isPresent();
    }

    private static URI uri(Member member, String path) {
        return URI.create(ClusterLayout.httpUrl(member) + path);
    }

    private Optional<HttpResponse<String>> send(HttpRequest.Builder request) {
        member.ifPresent(m -> request.header(MemberCredential.HEADER, m.token()));
        try {
            return Optional.of(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
