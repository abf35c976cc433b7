package io.sluice.cli.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the three Sluice services in tests of the launcher: a JVM configured by the same environment
 * variables, answering the same health and {@code /cluster} endpoints. Brokers heartbeat to the coordinator's port
 * over HTTP and count as alive while they do, as real brokers do over the Kafka protocol; a broker is ready only while
 * the coordinator hears from a majority of the brokers, as a real broker's store needs a majority. It prints its configuration
 * to its log, and behaves badly when a file in its working directory (the member's directory) asks it to:
 * {@code fail-on-start} makes it exit at once, {@code never-ready} keeps it unready.
 */
public final class FakeService {

    /** A broker heartbeats every 200 ms; this much silence (a loaded test machine aside) means it is gone. */
    private static final long ALIVE_MILLIS = 3_000;
    private static final Map<Integer, Long> HEARTBEATS = new ConcurrentHashMap<>();
    /** Whether this broker's store would be available: a majority of the brokers heartbeat. */
    private static volatile boolean storeMajority;

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String role = env.containsKey("SLUICE_BROKER_ID") ? "broker"
                : env.containsKey("SLUICE_GATEWAY_PORT") ? "gateway" : "coordinator";
        System.out.println("fake " + role + " started at " + System.currentTimeMillis() + " pid "
                + ProcessHandle.current().pid());
        new TreeMap<>(env).forEach((k, v) -> {
            if (k.startsWith("SLUICE_") || k.startsWith("QUARKUS_")) {
                System.out.println("env " + k + "=" + v);
            }
        });
        if (Files.exists(Path.of("fail-on-start"))) {
            System.out.println("boom: the fake " + role + " was told to fail");
            System.exit(3);
        }
        boolean neverReady = Files.exists(Path.of("never-ready"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fake " + role
                + " stopped gracefully at " + System.currentTimeMillis())));

        HttpServer http = HttpServer.create(new InetSocketAddress(env.get("QUARKUS_HTTP_HOST"),
                Integer.parseInt(env.get("QUARKUS_HTTP_PORT"))), 16);
        http.createContext("/q/health/live", ex -> answer(ex, 200, "{\"status\":\"UP\"}"));
        http.createContext("/q/health/ready", ex -> {
            boolean ready = !neverReady && (!role.equals("broker") || storeMajority);
            answer(ex, ready ? 200 : 503, ready ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
        switch (role) {
            case "coordinator" -> {
                http.createContext("/cluster", ex -> answer(ex, 200, clusterJson()));
                HttpServer kafka = HttpServer.create(new InetSocketAddress(env.get("SLUICE_COORDINATOR_HOST"),
                        Integer.parseInt(env.get("SLUICE_COORDINATOR_PORT"))), 16);
                kafka.createContext("/heartbeat", ex -> {
                    HEARTBEATS.put(Integer.parseInt(ex.getRequestURI().getQuery().substring("id=".length())),
                            System.currentTimeMillis());
                    long now = System.currentTimeMillis();
                    answer(ex, 200, Long.toString(HEARTBEATS.values().stream().filter(t -> now - t < ALIVE_MILLIS)
                            .count()));
                });
                kafka.start();
            }
            case "broker" -> {
                http.createContext("/store/shutdown", ex -> {
                    System.out.println("store shutdown requested");
                    answer(ex, 200, "");
                });
                heartbeat(env.get("SLUICE_COORDINATOR_BOOTSTRAP"), env.get("SLUICE_BROKER_ID"),
                        env.getOrDefault("SLUICE_BROKER_JGROUPS_INITIAL_HOSTS", "").split(",").length);
            }
            default -> {
            }
        }
        http.start();
    }

    private static String clusterJson() {
        long now = System.currentTimeMillis();
        return "{\"clusterId\":\"fake\",\"brokers\":[" + HEARTBEATS.entrySet().stream()
                .map(e -> "{\"id\":" + e.getKey() + ",\"host\":\"127.0.0.1\",\"port\":0,\"alive\":"
                        + (now - e.getValue() < ALIVE_MILLIS) + ",\"incarnation\":\"x\"}")
                .collect(Collectors.joining(",")) + "],\"topics\":[]}";
    }

    private static void heartbeat(String coordinator, String id, int brokers) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Thread beat = new Thread(() -> {
            while (true) {
                try {
                    String alive = client.send(HttpRequest.newBuilder(URI.create("http://" + coordinator
                            + "/heartbeat?id=" + id)).timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    storeMajority = Integer.parseInt(alive) * 2 > brokers;
                } catch (IOException e) {
                    // the coordinator is not up yet
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heartbeat");
        beat.setDaemon(true);
        beat.start();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
