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
import java.util.Set;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.jboss.logging.Logger;

import io.sluice.gateway.MemberSecurity;
import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.SecurityFeed;
import io.sluice.protocol.security.ScramCredentials;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Users' SCRAM credentials and the ACLs as the active coordinator keeps them, copied from its internal feed every
 * second: a user or ACL added, changed or deleted counts on every gateway within about a second, and clients go on
 * logging in and being authorized with the last copy while no coordinator answers. Lookups never leave the gateway.
 * Until the first copy comes, nobody logs in and only super users are authorized.
 */
public final class SecurityView implements ScramCredentials, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SecurityView.class);
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Vertx vertx;
    private final List<String> coordinators;
    private final MemberSecurity members;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<KafkaPrincipal> superUsers;
    private volatile Map<String, ScramCredential> credentials;
    private volatile long version = -1;
    private volatile Authorizer authorizer;
    private volatile ClientQuotas quotas = ClientQuotas.NONE;
    private volatile int current;
    private boolean polling;
    private long timer = -1;

    /** @param coordinators host:port of every coordinator replica's HTTP port */
    public SecurityView(Vertx vertx, List<String> coordinators, MemberSecurity members,
            Set<KafkaPrincipal> superUsers) {
        this.vertx = vertx;
        this.members = members;
        this.coordinators = List.copyOf(coordinators);
        this.superUsers = Set.copyOf(superUsers);
        this.authorizer = new Authorizer(superUsers, List.of());
    }

    /** The ACLs of the last copy, with the gateway's super users. */
    /** The client quotas as last fetched; none before the first fetch. */
    public ClientQuotas quotas() {
        return quotas;
    }

    public Authorizer authorizer() {
        return authorizer;
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
        HttpRequest request = members.sign(HttpRequest.newBuilder(URI.create("http://" + coordinators.get(asked)
                + CoordinatorContract.SECURITY_PATH + (version < 0 ? "" : "?known=" + version))))
                .timeout(Duration.ofSeconds(5)).GET().build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            try {
                if (failure == null && response.statusCode() == 304) {
                    return; // the copy is current
                }
                if (failure == null && response.statusCode() == 200) {
                    SecurityFeed feed = JSON.readValue(response.body(), SecurityFeed.class);
                    authorizer = new Authorizer(superUsers, feed.acls());
                    quotas = new ClientQuotas(feed.quotas());
                    credentials = credentials(feed);
                    version = feed.version();
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

    private static Map<String, ScramCredential> credentials(SecurityFeed feed) {
        Map<String, ScramCredential> parsed = new HashMap<>();
        Base64.Decoder base64 = Base64.getDecoder();
        for (SecurityFeed.Credential c : feed.credentials()) {
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
