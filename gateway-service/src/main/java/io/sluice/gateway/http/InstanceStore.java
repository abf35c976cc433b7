package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.sluice.gateway.MemberSecurity;
import io.sluice.protocol.contract.CoordinatorContract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where HTTP consumer instances live: the active coordinator, over its internal HTTP API. Every request goes to the
 * replica that answered last; a replica that cannot be reached or is a standby (503) sends it on to the next one, so
 * a coordinator failover costs a retry, never an instance.
 */
final class InstanceStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> coordinators;
    private final MemberSecurity members;
    private volatile int current;

    /** @param coordinators host:port of every coordinator replica's HTTP port */
    InstanceStore(List<String> coordinators, MemberSecurity members) {
        this.coordinators = List.copyOf(coordinators);
        this.members = members;
    }

    CompletableFuture<InstanceState.Instance> create(InstanceState.Instance instance) {
        return send("POST", instance.group(), null, "", instance).thenApply(
                body -> read(body, InstanceState.Instance.class));
    }

    CompletableFuture<InstanceState> get(String group, String name) {
        return send("GET", group, name, "", null).thenApply(body -> read(body, InstanceState.class));
    }

    CompletableFuture<Void> delete(String group, String name) {
        return send("DELETE", group, name, "", null).thenApply(body -> null);
    }

    /** Subscribes to topics or a pattern; neither unsubscribes. */
    CompletableFuture<Void> subscribe(String group, String name, List<String> topics, String pattern) {
        return send("PUT", group, name, "/subscription", Map.of("topics", topics,
                "pattern", pattern == null ? "" : pattern)).thenApply(body -> null);
    }

    CompletableFuture<Void> assign(String group, String name, List<InstanceState.Partition> partitions) {
        return send("PUT", group, name, "/assignments", partitions).thenApply(body -> null);
    }

    CompletableFuture<Void> seek(String group, String name, List<InstanceState.Position> positions, boolean commit) {
        return send("POST", group, name, "/positions", Map.of("positions", positions, "commit", commit))
                .thenApply(body -> null);
    }

    /** Commits the offsets given, or with null the instance's positions. */
    CompletableFuture<Void> commit(String group, String name, List<InstanceState.Position> offsets) {
        return send("POST", group, name, "/offsets", offsets == null ? Map.of() : Map.of("offsets", offsets))
                .thenApply(body -> null);
    }

    private CompletableFuture<byte[]> send(String method, String group, String name, String subPath, Object body) {
        String path = CoordinatorContract.CONSUMER_INSTANCES_PATH + "/" + encode(group)
                + (name == null ? "" : "/" + encode(name)) + subPath;
        byte[] json = body == null ? null : write(body);
        return attempt(method, path, json, current, 0);
    }

    private CompletableFuture<byte[]> attempt(String method, String path, byte[] body, int replica, int tried) {
        HttpRequest.Builder request = members.sign(HttpRequest.newBuilder(
                URI.create("http://" + coordinators.get(replica) + path)))
                .timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    boolean elsewhere = failure != null || response.statusCode() == 503;
                    if (elsewhere && tried + 1 < coordinators.size()) {
                        return attempt(method, path, body, (replica + 1) % coordinators.size(), tried + 1);
                    }
                    if (failure != null) {
                        throw new HttpError(503, "no coordinator could be reached to serve the consumer instance");
                    }
                    if (response.statusCode() >= 300) {
                        throw refusal(response);
                    }
                    current = replica;
                    return CompletableFuture.completedFuture(response.body());
                }).thenCompose(next -> next);
    }

    private static HttpError refusal(HttpResponse<byte[]> response) {
        String message;
        try {
            JsonNode error = JSON.readTree(response.body());
            message = error.path("message").asText("the coordinator refused the request");
        } catch (IOException e) {
            message = "the coordinator refused the request";
        }
        return new HttpError(response.statusCode(), message);
    }

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
