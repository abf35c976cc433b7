package io.sluice.gateway.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.jboss.logging.Logger;

import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.SecurityFeed;
import io.sluice.protocol.security.ScramCredentials;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Users' SCRAM credentials as the active coordinator keeps them, copied from its internal feed every second: a user
 * added, changed or deleted counts on every gateway within about a second, and clients go on logging in with the last
 * copy while no coordinator answers. Lookups never leave the gateway.
 */
public final class CredentialFeed implements ScramCredentials, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CredentialFeed.class);
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Vertx vertx;
    private final List<String> coordinators;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Map<String, ScramCredential> credentials;
    private volatile int current;
    private boolean polling;
    private long timer = -1;

    /** @param coordinators host:port of every coordinator replica's HTTP port */
    public CredentialFeed(Vertx vertx, List<String> coordinators) {
        this.vertx = vertx;
        this.coordinators = List.copyOf(coordinators);
    }

    public void start() {
        poll();
        timer = vertx.setPeriodic(POLL_INTERVAL.toMillis(), id -> poll());
    }

    /** Whether a copy has come in: until then no client can log in. */
    public boolean loaded() {
        return credentials != null;
    }

    @Override
    public ScramCredential find(String user, ScramMechanism mechanism) {
        Map<String, ScramCredential> known = credentials;
        return known == null ? null : known.get(key(user, mechanism.mechanismName()));
    }

    private synchronized void poll() {
        if (polling) {
            return;
        }
        polling = true;
        int asked = current;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + coordinators.get(asked)
                + CoordinatorContract.SECURITY_PATH)).timeout(Duration.ofSeconds(5)).GET().build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            try {
                if (failure == null && response.statusCode() == 200) {
                    credentials = parse(response.body());
                } else {
                    // A standby or an unreachable replica: the next poll asks the next one.
                    current = (asked + 1) % coordinators.size();
                    LOG.debugf("no credentials from coordinator %s: %s", coordinators.get(asked),
                            failure != null ? failure.getMessage() : "HTTP " + response.statusCode());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("coordinator %s sent credentials that do not parse: %s", coordinators.get(asked),
                        e.getMessage());
            } finally {
                synchronized (this) {
                    polling = false;
                }
            }
        });
    }

    private static Map<String, ScramCredential> parse(byte[] body) throws IOException {
        Map<String, ScramCredential> parsed = new HashMap<>();
        Base64.Decoder base64 = Base64.getDecoder();
        for (SecurityFeed.Credential c : JSON.readValue(body, SecurityFeed.class).credentials()) {
            parsed.put(key(c.user(), c.mechanism()), new ScramCredential(base64.decode(c.salt()),
                    base64.decode(c.storedKey()), base64.decode(c.serverKey()), c.iterations()));
        }
        return Map.copyOf(parsed);
    }

    private static String key(String user, String mechanism) {
        return mechanism + " " + user;
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
