package io.sluice.coordinator.security;

import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.kafka.common.acl.AclBinding;
import org.jboss.logging.Logger;

import io.sluice.coordinator.concurrent.SerialWorker;
import io.sluice.coordinator.store.JsonDocuments;
import io.sluice.coordinator.store.StateStore;
import io.sluice.protocol.contract.SecurityFeed;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The coordinator's security state: users' SCRAM credentials ({@link ScramCredentials}), ACLs ({@link Acls}) and client
 * quotas ({@link ClientQuotas}), kept in the replicated state store under one version, and the feed gateways authenticate and
 * authorize from. Changes run
 * one at a time on a thread of their own, are written together with the next version and answered once every replica
 * holds them; readers see an immutable snapshot, replaced after each change, so the feed never pairs a version with
 * another version's credentials or ACLs.
 */
public final class SecurityState implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SecurityState.class);

    /** The feed's version, raised with every change, so it never goes back across failovers and restarts. */
    static final String VERSION = "security-version";

    /** The credentials, ACLs (each with its id in the store) and quotas at one version; never changed once published. */
    record Snapshot(long version, Map<ScramCredentials.Key, ScramCredentialRecord> credentials,
            Map<AclBinding, String> acls, Map<ClientQuotas.Entity, Map<String, Double>> quotas) {

        Snapshot {
            credentials = Map.copyOf(credentials);
            acls = Map.copyOf(acls);
            quotas = Map.copyOf(quotas);
        }

        Snapshot withCredentials(Map<ScramCredentials.Key, ScramCredentialRecord> next) {
            return new Snapshot(version, next, acls, quotas);
        }

        Snapshot withAcls(Map<AclBinding, String> next) {
            return new Snapshot(version, credentials, next, quotas);
        }

        Snapshot withQuotas(Map<ClientQuotas.Entity, Map<String, Double>> next) {
            return new Snapshot(version, credentials, acls, next);
        }
    }

    private final StateStore store;
    private final JsonDocuments documents;
    private final SerialWorker thread = new SerialWorker("coordinator-security");
    private final ScramCredentials credentials = new ScramCredentials(this);
    private final Acls acls;
    private final ClientQuotas quotas = new ClientQuotas(this);
    private volatile Snapshot current = new Snapshot(0, Map.of(), Map.of(), Map.of());

    public SecurityState(StateStore store, ObjectMapper json, AclLimits limits) {
        this.store = store;
        this.documents = new JsonDocuments(json);
        this.acls = new Acls(this, limits);
    }

    /** Loads the credentials and ACLs from the store (blocking). */
    public void start() {
        thread.submit(() -> {
            current = load();
            LOG.infof("%d SCRAM credentials, %d ACLs and %d client quota entities loaded (version %d)",
                    current.credentials().size(), current.acls().size(), current.quotas().size(), current.version());
            return CompletableFuture.completedFuture(null);
        }).join();
    }

    private Snapshot load() {
        Map<ScramCredentials.Key, ScramCredentialRecord> credentials = new HashMap<>();
        for (ScramCredentialRecord record : documents.readAll(store.withPrefix(ScramCredentials.PREFIX).values(),
                ScramCredentialRecord.class)) {
            credentials.put(ScramCredentials.key(record), record);
        }
        Map<AclBinding, String> acls = new HashMap<>();
        for (AclRecord record : documents.readAll(store.withPrefix(Acls.PREFIX).values(), AclRecord.class)) {
            acls.put(record.binding(), record.id());
        }
        Map<ClientQuotas.Entity, Map<String, Double>> quotas = new HashMap<>();
        for (ClientQuotas.QuotaRecord record : documents.readAll(store.withPrefix(ClientQuotas.PREFIX).values(),
                ClientQuotas.QuotaRecord.class)) {
            quotas.put(record.entity(), record.values());
        }
        return new Snapshot(store.get(VERSION).map(Long::parseLong).orElse(0L), credentials, acls, quotas);
    }

    public ScramCredentials credentials() {
        return credentials;
    }

    public Acls acls() {
        return acls;
    }

    public ClientQuotas quotas() {
        return quotas;
    }

    /** The version of what was last published. */
    public long version() {
        return current.version();
    }

    /** What was last published; changes on the security thread see every change before theirs. */
    Snapshot snapshot() {
        return current;
    }

    /** Runs {@code change} on the security thread, after every change submitted before it. */
    <T> CompletableFuture<T> change(Supplier<T> change) {
        return thread.submit(() -> CompletableFuture.completedFuture(change.get()));
    }

    /**
     * Writes {@code puts} (records, as JSON) and {@code removals} with the next version, waiting on the security thread
     * until every replica holds them, then publishes {@code next} at that version. Should the write fail, what the
     * store holds is read again.
     *
     * @return the new version
     */
    long write(Snapshot next, Map<String, Object> puts, Collection<String> removals) {
        long version = current.version() + 1;
        Map<String, String> entries = new HashMap<>();
        puts.forEach((key, record) -> entries.put(key, documents.write(record)));
        entries.put(VERSION, Long.toString(version));
        try {
            store.changeAsync(entries, removals).join();
        } catch (RuntimeException e) {
            current = load();
            throw e;
        }
        current = new Snapshot(version, next.credentials(), next.acls(), next.quotas());
        return version;
    }

    /**
     * What gateways authenticate, authorize and throttle clients with: every credential with salt and keys (ordered by
     * user and mechanism), every ACL (ordered by resource, then principal, host, operation and permission) and every
     * quota entity's quotas, at one version.
     */
    public SecurityFeed feed() {
        Snapshot snapshot = current;
        Base64.Encoder base64 = Base64.getEncoder();
        List<SecurityFeed.Credential> credentials = snapshot.credentials().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(ScramCredentials.Key.ORDER))
                .map(Map.Entry::getValue)
                .map(r -> new SecurityFeed.Credential(r.user(), r.mechanism(), base64.encodeToString(r.salt()),
                        base64.encodeToString(r.storedKey()), base64.encodeToString(r.serverKey()), r.iterations()))
                .toList();
        List<SecurityFeed.Acl> acls = snapshot.acls().keySet().stream().sorted(Acls.ORDER)
                .map(b -> new SecurityFeed.Acl(b.entry().principal(), b.entry().host(),
                        b.pattern().resourceType().name(), b.pattern().name(), b.pattern().patternType().name(),
                        b.entry().operation().name(), b.entry().permissionType().name()))
                .toList();
        List<SecurityFeed.Quota> quotas = snapshot.quotas().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(ClientQuotas.Entity.ORDER))
                .map(e -> new SecurityFeed.Quota(e.getKey().user(), e.getKey().clientId(), e.getValue()))
                .toList();
        return new SecurityFeed(snapshot.version(), credentials, acls, quotas);
    }

    @Override
    public void close() {
        thread.close();
    }
}
