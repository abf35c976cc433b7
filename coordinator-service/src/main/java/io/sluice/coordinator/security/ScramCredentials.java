package io.sluice.coordinator.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.jboss.logging.Logger;

/**
 * Users' SCRAM credentials (KIP-554), part of the {@link SecurityState}, with the checks and errors of Kafka's
 * controller: AlterUserScramCredentials, DescribeUserScramCredentials, and the bootstrap admin. Changes run on the
 * security state's thread and are answered once every replica holds them.
 */
public final class ScramCredentials {

    private static final Logger LOG = Logger.getLogger(ScramCredentials.class);

    /** Where credentials are kept in the state store: {@code scram/<mechanism>/<user>}, one entry each. */
    static final String PREFIX = "scram/";
    /** Kafka's controller refuses more iterations than this, whatever the mechanism. */
    static final int MAX_ITERATIONS = 16_384;
    /** The iterations of credentials the coordinator makes itself (the bootstrap admin's): the mechanisms' minimum. */
    static final int BOOTSTRAP_ITERATIONS = 4_096;
    /** The most deletions and upsertions one request may carry; more is refused as a whole (POLICY_VIOLATION). */
    static final int MAX_ALTERATIONS = 1_000;
    /** The most credentials the cluster keeps; an upsertion adding one past it is refused (POLICY_VIOLATION). */
    static final int MAX_CREDENTIALS = 10_000;
    /** Longer user names and salts are refused (UNACCEPTABLE_CREDENTIAL): each is kept and sent to every gateway. */
    static final int MAX_USER_LENGTH = 1_024;
    static final int MAX_SALT_BYTES = 256;

    private static final String DUPLICATE = "A user credential cannot be altered twice in the same request";
    private static final String DESCRIBED_TWICE = "Cannot describe SCRAM credentials for the same user twice in a single request: ";
    private static final String NOT_FOUND = "Attempt to describe a user credential that does not exist: ";

    /** A user's credential for one mechanism. */
    record Key(String user, ScramMechanism mechanism) {

        static final Comparator<Key> ORDER = Comparator.comparing(Key::user).thenComparing(Key::mechanism);

        String storeKey() {
            return PREFIX + mechanism.mechanismName() + "/" + user;
        }
    }

    /** Why one user's alterations are refused. */
    private record Refusal(Errors error, String message) {
    }

    private final SecurityState state;

    ScramCredentials(SecurityState state) {
        this.state = state;
    }

    // ---- AlterUserScramCredentials

    /**
     * Deletes and upserts credentials, as Kafka's controller does: each user is answered once; a user named twice in
     * the request (two deletions, two upsertions, or one of each, whatever the mechanisms) is refused
     * (DUPLICATE_RESOURCE), as is an empty user name or unacceptable iterations (UNACCEPTABLE_CREDENTIAL), an unknown
     * mechanism (UNSUPPORTED_SASL_MECHANISM) and the deletion of a credential that does not exist
     * (RESOURCE_NOT_FOUND). The other users' changes are written together.
     */
    public CompletableFuture<AlterUserScramCredentialsResponseData> alter(AlterUserScramCredentialsRequestData request) {
        return state.change(() -> alterNow(request));
    }

    private AlterUserScramCredentialsResponseData alterNow(AlterUserScramCredentialsRequestData request) {
        SecurityState.Snapshot was = state.snapshot();
        Set<String> users = new LinkedHashSet<>();
        request.deletions().forEach(d -> users.add(d.name()));
        request.upsertions().forEach(u -> users.add(u.name()));
        Map<String, Refusal> refused = new HashMap<>();
        if (request.deletions().size() + request.upsertions().size() > MAX_ALTERATIONS) {
            Refusal tooMany = new Refusal(Errors.POLICY_VIOLATION,
                    "A request may alter at most " + MAX_ALTERATIONS + " credentials");
            users.forEach(user -> refused.put(user, tooMany));
            return answer(users, refused);
        }
        Map<String, Key> deletions = new LinkedHashMap<>();
        for (ScramCredentialDeletion deletion : request.deletions()) {
            String user = deletion.name();
            if (refused.containsKey(user)) {
                continue;
            }
            if (deletions.remove(user) != null) {
                refused.put(user, new Refusal(Errors.DUPLICATE_RESOURCE, DUPLICATE));
                continue;
            }
            Optional<Refusal> refusal = checkUser(user, deletion.mechanism());
            Key key = refusal.isPresent() ? null : new Key(user, mechanism(deletion.mechanism()).orElseThrow());
            if (refusal.isEmpty() && !was.credentials().containsKey(key)) {
                refusal = Optional.of(new Refusal(Errors.RESOURCE_NOT_FOUND,
                        "Attempt to delete a user credential that does not exist"));
            }
            refusal.ifPresentOrElse(r -> refused.put(user, r), () -> deletions.put(user, key));
        }
        Map<String, ScramCredentialRecord> upsertions = new LinkedHashMap<>();
        for (ScramCredentialUpsertion upsertion : request.upsertions()) {
            String user = upsertion.name();
            if (refused.containsKey(user)) {
                continue;
            }
            if (deletions.remove(user) != null || upsertions.remove(user) != null) {
                refused.put(user, new Refusal(Errors.DUPLICATE_RESOURCE, DUPLICATE));
                continue;
            }
            Optional<Refusal> refusal = checkUpsertion(upsertion);
            if (refusal.isPresent()) {
                refused.put(user, refusal.get());
            } else {
                upsertions.put(user, record(upsertion));
            }
        }
        int count = was.credentials().size() - deletions.size();
        for (var upsertion : List.copyOf(upsertions.entrySet())) {
            if (!was.credentials().containsKey(key(upsertion.getValue())) && ++count > MAX_CREDENTIALS) {
                upsertions.remove(upsertion.getKey());
                refused.put(upsertion.getKey(), new Refusal(Errors.POLICY_VIOLATION,
                        "The cluster keeps at most " + MAX_CREDENTIALS + " SCRAM credentials"));
            }
        }
        if (!deletions.isEmpty() || !upsertions.isEmpty()) {
            write(was, deletions.values(), upsertions.values());
        }
        return answer(users, refused);
    }

    private static AlterUserScramCredentialsResponseData answer(Set<String> users, Map<String, Refusal> refused) {
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        for (String user : users) {
            Refusal refusal = refused.get(user);
            response.results().add(new AlterUserScramCredentialsResult().setUser(user)
                    .setErrorCode(refusal == null ? Errors.NONE.code() : refusal.error().code())
                    .setErrorMessage(refusal == null ? null : refusal.message()));
        }
        return response;
    }

    private static Optional<Refusal> checkUser(String user, byte mechanism) {
        if (user.isEmpty()) {
            return Optional.of(new Refusal(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"));
        }
        if (mechanism(mechanism).isEmpty()) {
            return Optional.of(new Refusal(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> checkUpsertion(ScramCredentialUpsertion upsertion) {
        Optional<Refusal> refusal = checkUser(upsertion.name(), upsertion.mechanism());
        if (refusal.isPresent()) {
            return refusal;
        }
        ScramMechanism mechanism = mechanism(upsertion.mechanism()).orElseThrow();
        String why = null;
        if (upsertion.iterations() < mechanism.minIterations()) {
            why = "Too few iterations";
        } else if (upsertion.iterations() > MAX_ITERATIONS) {
            why = "Too many iterations";
        } else if (upsertion.name().length() > MAX_USER_LENGTH) {
            why = "Username longer than " + MAX_USER_LENGTH + " characters";
        } else if (upsertion.salt().length > MAX_SALT_BYTES) {
            why = "Salt longer than " + MAX_SALT_BYTES + " bytes";
        } else if (upsertion.saltedPassword().length == 0) {
            // Kafka fails on the HMAC's empty key (UNKNOWN_SERVER_ERROR); no password salts to nothing
            why = "Salted password must not be empty";
        }
        return Optional.ofNullable(why).map(w -> new Refusal(Errors.UNACCEPTABLE_CREDENTIAL, w));
    }

    /** StoredKey and ServerKey from the salted password the client sent; the salted password itself is not kept. */
    private static ScramCredentialRecord record(ScramCredentialUpsertion upsertion) {
        ScramMechanism mechanism = mechanism(upsertion.mechanism()).orElseThrow();
        ScramCredential credential = formatter(mechanism).generateCredential(upsertion.salt(),
                upsertion.saltedPassword(), upsertion.iterations());
        return record(upsertion.name(), mechanism, credential);
    }

    private static ScramCredentialRecord record(String user, ScramMechanism mechanism, ScramCredential credential) {
        return new ScramCredentialRecord(user, mechanism.mechanismName(), credential.salt(), credential.storedKey(),
                credential.serverKey(), credential.iterations());
    }

    /** The SCRAM mechanism of Kafka's type code (1, 2); empty for any other. */
    private static Optional<ScramMechanism> mechanism(byte type) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (mechanism.type() == type) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }

    static Key key(ScramCredentialRecord record) {
        return new Key(record.user(), ScramMechanism.forMechanismName(record.mechanism()));
    }

    private static ScramFormatter formatter(ScramMechanism mechanism) {
        try {
            return new ScramFormatter(mechanism);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM lacks " + mechanism.hashAlgorithm(), e);
        }
    }

    /** Writes the changes with the security state's next version, so the next change is checked against them. */
    private void write(SecurityState.Snapshot was, Iterable<Key> deletions,
            Iterable<ScramCredentialRecord> upsertions) {
        Map<Key, ScramCredentialRecord> next = new HashMap<>(was.credentials());
        Map<String, Object> puts = new HashMap<>();
        List<String> removals = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Key key : deletions) {
            next.remove(key);
            removals.add(key.storeKey());
            changed.add("deleted " + key.user() + " (" + key.mechanism().mechanismName() + ")");
        }
        for (ScramCredentialRecord record : upsertions) {
            Key key = key(record);
            next.put(key, record);
            puts.put(key.storeKey(), record);
            changed.add("set " + key.user() + " (" + key.mechanism().mechanismName() + ")");
        }
        long version = state.write(was.withCredentials(next), puts, removals);
        LOG.infof("SCRAM credentials %s (version %d)", String.join(", ", changed), version);
    }

    // ---- DescribeUserScramCredentials

    /**
     * The mechanisms and iterations of each user named, or of every user when none is; a user named twice is answered
     * once (DUPLICATE_RESOURCE), a user without credentials RESOURCE_NOT_FOUND. Salts and keys are never sent.
     */
    public DescribeUserScramCredentialsResponseData describe(DescribeUserScramCredentialsRequestData request) {
        Map<Key, ScramCredentialRecord> credentials = state.snapshot().credentials();
        Map<String, Boolean> named = new LinkedHashMap<>();
        if (request.users() == null || request.users().isEmpty()) {
            credentials.keySet().stream().sorted(Key.ORDER).forEach(k -> named.put(k.user(), false));
        } else {
            request.users().forEach(u -> named.merge(u.name(), false, (was, again) -> true));
        }
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        named.forEach((user, twice) -> {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
            response.results().add(result);
            if (twice) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(DESCRIBED_TWICE + user);
                return;
            }
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                ScramCredentialRecord record = credentials.get(new Key(user, mechanism));
                if (record != null) {
                    result.credentialInfos().add(new CredentialInfo().setMechanism(mechanism.type())
                            .setIterations(record.iterations()));
                }
            }
            if (result.credentialInfos().isEmpty()) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code()).setErrorMessage(NOT_FOUND + user);
            }
        });
        return response;
    }

    // ---- the bootstrap admin

    /**
     * Gives {@code user} SCRAM-SHA-256 and SCRAM-SHA-512 credentials for {@code password} (fresh salts, 4096
     * iterations) unless both exist and verify against it; how the first super user comes to be.
     *
     * @return whether it wrote them
     */
    public CompletableFuture<Boolean> ensureUser(String user, String password) {
        return state.change(() -> {
            SecurityState.Snapshot was = state.snapshot();
            boolean verified = true;
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                ScramCredentialRecord record = was.credentials().get(new Key(user, mechanism));
                verified &= record != null && verifies(record, mechanism, password);
            }
            if (verified) {
                return false;
            }
            List<ScramCredentialRecord> fresh = new ArrayList<>();
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                fresh.add(record(user, mechanism,
                        formatter(mechanism).generateCredential(password, BOOTSTRAP_ITERATIONS)));
            }
            write(was, List.of(), fresh);
            return true;
        });
    }

    private static boolean verifies(ScramCredentialRecord record, ScramMechanism mechanism, String password) {
        try {
            ScramFormatter formatter = formatter(mechanism);
            byte[] salted = formatter.saltedPassword(password, record.salt(), record.iterations());
            return MessageDigest.isEqual(formatter.storedKey(formatter.clientKey(salted)), record.storedKey())
                    && MessageDigest.isEqual(formatter.serverKey(salted), record.serverKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
