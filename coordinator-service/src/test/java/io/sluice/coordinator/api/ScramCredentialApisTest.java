package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.security.AclLimits;
import io.sluice.coordinator.security.ScramCredentials;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.protocol.contract.SecurityFeed;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials on the coordinator's real listener, with the checks and
 * errors of Kafka's controller, the gateways' feed of the stored keys, and the bootstrap admin.
 */
class ScramCredentialApisTest {

    private static final ScramMechanism SHA_256 = ScramMechanism.SCRAM_SHA_256;
    private static final ScramMechanism SHA_512 = ScramMechanism.SCRAM_SHA_512;

    private static StateStore store;
    private static Vertx vertx;

    private ListeningCoordinator coordinator;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("scram-credential-apis-test");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopStore() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        store.close();
    }

    @BeforeEach
    void startCoordinator() {
        coordinator = new ListeningCoordinator(store, vertx, 50_000);
    }

    @AfterEach
    void stopCoordinator() {
        coordinator.close();
    }

    // ---- upsert, describe, delete

    @Test
    void upsertedCredentialsAreDescribedByMechanismAndIterationsOnly() {
        assertAccepted(alter(List.of(), List.of(upsertion("alice", SHA_256, 4096, "a-secret"))), "alice");
        assertAccepted(alter(List.of(), List.of(upsertion("alice", SHA_512, 8192, "a-secret"),
                upsertion("bob", SHA_512, 16384, "b-secret"))), "alice", "bob");

        DescribeUserScramCredentialsResult alice = single(describe("alice"));
        assertThat(alice.errorCode()).isZero();
        assertThat(alice.credentialInfos()).extracting(CredentialInfo::mechanism, CredentialInfo::iterations)
                .containsExactlyInAnyOrder(tuple(SHA_256.type(), 4096),
                        tuple(SHA_512.type(), 8192));
        assertThat(describeAll(null).results()).extracting(DescribeUserScramCredentialsResult::user)
                .containsExactly("alice", "bob");
        assertThat(describeAll(List.of()).results()).extracting(DescribeUserScramCredentialsResult::user)
                .containsExactly("alice", "bob");
    }

    @Test
    void theFeedCarriesTheKeysOfTheSaltedPasswordNeverThePasswordItself() throws Exception {
        long before = coordinator.security().feed().version();
        byte[] salt = "pepper-and-salt-0123456789".getBytes(StandardCharsets.UTF_8);
        ScramFormatter formatter = new ScramFormatter(SHA_512);
        byte[] salted = formatter.saltedPassword("open sesame", salt, 4096);

        assertAccepted(alter(List.of(), List.of(new ScramCredentialUpsertion().setName("carol")
                .setMechanism(SHA_512.type()).setIterations(4096).setSalt(salt).setSaltedPassword(salted))), "carol");

        SecurityFeed feed = coordinator.security().feed();
        assertThat(feed.version()).isGreaterThan(before);
        SecurityFeed.Credential carol = feed.credentials().stream().filter(c -> c.user().equals("carol"))
                .findFirst().orElseThrow();
        Base64.Encoder base64 = Base64.getEncoder();
        assertThat(carol.mechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(carol.iterations()).isEqualTo(4096);
        assertThat(carol.salt()).isEqualTo(base64.encodeToString(salt));
        assertThat(carol.storedKey())
                .isEqualTo(base64.encodeToString(formatter.storedKey(formatter.clientKey(salted))));
        assertThat(carol.serverKey()).isEqualTo(base64.encodeToString(formatter.serverKey(salted)));
        String stored = String.join("\n", store.withPrefix("").values());
        assertThat(stored).doesNotContain(base64.encodeToString(salted)).doesNotContain("open sesame");
        assertThat(new ObjectMapper().writeValueAsString(feed)).doesNotContain(base64.encodeToString(salted));
    }

    @Test
    void aDeletedCredentialIsGoneAndDescribingAUserWithoutAnyIsResourceNotFound() {
        alter(List.of(), List.of(upsertion("dave", SHA_256, 4096, "d")));
        alter(List.of(), List.of(upsertion("dave", SHA_512, 4096, "d")));
        long before = coordinator.security().feed().version();

        assertAccepted(alter(List.of(deletion("dave", SHA_256)), List.of()), "dave");
        assertThat(single(describe("dave")).credentialInfos()).extracting(CredentialInfo::mechanism)
                .containsExactly(SHA_512.type());
        assertAccepted(alter(List.of(deletion("dave", SHA_512)), List.of()), "dave");

        DescribeUserScramCredentialsResult gone = single(describe("dave"));
        assertThat(gone.errorCode()).isEqualTo(Errors.RESOURCE_NOT_FOUND.code());
        assertThat(gone.errorMessage()).isEqualTo("Attempt to describe a user credential that does not exist: dave");
        assertThat(coordinator.security().feed().credentials()).isEmpty();
        assertThat(coordinator.security().feed().version()).isEqualTo(before + 2);
    }

    // ---- refusals

    @Test
    void deletingACredentialThatDoesNotExistIsResourceNotFound() {
        alter(List.of(), List.of(upsertion("erin", SHA_256, 4096, "e")));

        assertRefused(alter(List.of(deletion("erin", SHA_512)), List.of()), "erin", Errors.RESOURCE_NOT_FOUND);
        assertRefused(alter(List.of(deletion("nobody", SHA_256)), List.of()), "nobody", Errors.RESOURCE_NOT_FOUND);
        assertThat(single(describe("erin")).credentialInfos()).hasSize(1);
    }

    @Test
    void anUnknownMechanismIsUnsupported() {
        AlterUserScramCredentialsResponseData response = alter(List.of(deletion("frank", (byte) 9)),
                List.of(upsertion("grace", (byte) 0, 4096), upsertion("heidi", (byte) 3, 4096)));

        assertRefused(response, "frank", Errors.UNSUPPORTED_SASL_MECHANISM);
        assertRefused(response, "grace", Errors.UNSUPPORTED_SASL_MECHANISM);
        assertRefused(response, "heidi", Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(coordinator.security().feed().credentials()).isEmpty();
    }

    @Test
    void iterationsBelowTheMechanismsMinimumOrAbove16384AreUnacceptable() {
        AlterUserScramCredentialsResponseData response = alter(List.of(), List.of(
                upsertion("few", SHA_256, 4095), upsertion("many", SHA_512, 16385),
                upsertion("negative", SHA_512, -1), upsertion("least", SHA_256, 4096),
                upsertion("most", SHA_512, 16384)));

        assertRefused(response, "few", Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(result(response, "few").errorMessage()).isEqualTo("Too few iterations");
        assertRefused(response, "many", Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(result(response, "many").errorMessage()).isEqualTo("Too many iterations");
        assertRefused(response, "negative", Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(result(response, "least").errorCode()).isZero();
        assertThat(result(response, "most").errorCode()).isZero();
        assertThat(coordinator.security().feed().credentials()).extracting(SecurityFeed.Credential::user)
                .containsExactly("least", "most");
    }

    @Test
    void anEmptyUserNameIsUnacceptable() {
        assertRefused(alter(List.of(), List.of(upsertion("", SHA_256, 4096))), "", Errors.UNACCEPTABLE_CREDENTIAL);
        assertRefused(alter(List.of(deletion("", SHA_256)), List.of()), "", Errors.UNACCEPTABLE_CREDENTIAL);
    }

    @Test
    void aUserAlteredTwiceInOneRequestIsADuplicateAndOnlyTheOthersChange() {
        alter(List.of(), List.of(upsertion("ivan", SHA_256, 4096), upsertion("judy", SHA_256, 4096)));

        AlterUserScramCredentialsResponseData response = alter(
                List.of(deletion("ivan", SHA_256), deletion("judy", SHA_256), deletion("judy", SHA_512)),
                List.of(upsertion("ivan", SHA_512, 4096), upsertion("mallory", SHA_256, 4096),
                        upsertion("mallory", SHA_512, 4096), upsertion("oscar", SHA_256, 4096)));

        assertThat(response.results()).extracting(AlterUserScramCredentialsResult::user)
                .containsExactlyInAnyOrder("ivan", "judy", "mallory", "oscar");
        assertRefused(response, "ivan", Errors.DUPLICATE_RESOURCE);
        assertRefused(response, "judy", Errors.DUPLICATE_RESOURCE);
        assertRefused(response, "mallory", Errors.DUPLICATE_RESOURCE);
        assertThat(result(response, "oscar").errorCode()).isZero();
        assertThat(coordinator.security().feed().credentials())
                .extracting(c -> c.user() + " " + c.mechanism())
                .containsExactly("ivan SCRAM-SHA-256", "judy SCRAM-SHA-256", "oscar SCRAM-SHA-256");
    }

    @Test
    void aUserDescribedTwiceIsAnsweredOnceAsADuplicate() {
        alter(List.of(), List.of(upsertion("peggy", SHA_256, 4096)));

        DescribeUserScramCredentialsResponseData response = describeAll(List.of(
                new UserName().setName("peggy"), new UserName().setName("peggy"), new UserName().setName("trent")));

        assertThat(response.results()).hasSize(2);
        DescribeUserScramCredentialsResult peggy = response.results().get(0);
        assertThat(peggy.user()).isEqualTo("peggy");
        assertThat(peggy.errorCode()).isEqualTo(Errors.DUPLICATE_RESOURCE.code());
        assertThat(peggy.credentialInfos()).isEmpty();
        assertThat(response.results().get(1).errorCode()).isEqualTo(Errors.RESOURCE_NOT_FOUND.code());
    }

    @Test
    void everyCountAClientSendsIsBounded() {
        List<ScramCredentialUpsertion> tooMany = new ArrayList<>();
        for (int i = 0; i <= 1_000; i++) {
            tooMany.add(upsertion("user-" + i, SHA_256, 4096));
        }
        AlterUserScramCredentialsResponseData refused = alter(List.of(), tooMany);
        assertThat(refused.results()).hasSize(1_001)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code()));
        assertThat(coordinator.security().feed().credentials()).isEmpty();

        AlterUserScramCredentialsResponseData oversized = alter(List.of(), List.of(
                upsertion("x".repeat(1_025), SHA_256, 4096),
                upsertion("salty", SHA_256, 4096).setSalt(new byte[257]),
                upsertion("unsalted", SHA_256, 4096).setSaltedPassword(new byte[0])));
        assertRefused(oversized, "x".repeat(1_025), Errors.UNACCEPTABLE_CREDENTIAL);
        assertRefused(oversized, "salty", Errors.UNACCEPTABLE_CREDENTIAL);
        assertRefused(oversized, "unsalted", Errors.UNACCEPTABLE_CREDENTIAL);
        assertThat(coordinator.security().feed().credentials()).isEmpty();
    }

    // ---- durability and the bootstrap admin

    @Test
    void aNewActiveReplicaServesTheStoredCredentials() {
        alter(List.of(), List.of(upsertion("victor", SHA_256, 4096)));
        alter(List.of(), List.of(upsertion("walter", SHA_512, 8192)));
        SecurityFeed before = coordinator.security().feed();

        try (SecurityState next = new SecurityState(store, new ObjectMapper(), new AclLimits(100_000, 10_000))) {
            next.start();

            assertThat(next.feed()).isEqualTo(before);
            assertThat(next.feed().credentials()).hasSize(2);
        }
    }

    @Test
    void theBootstrapAdminGetsCredentialsForItsPasswordUnlessTheyVerify() throws Exception {
        ScramCredentials credentials = coordinator.security().credentials();

        assertThat(credentials.ensureUser("admin", "first").join()).isTrue();
        Map<String, SecurityFeed.Credential> written = byMechanism(coordinator.security().feed(), "admin");
        assertThat(written.keySet()).containsExactlyInAnyOrder("SCRAM-SHA-256", "SCRAM-SHA-512");
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            assertVerifies(written.get(mechanism.mechanismName()), mechanism, "first");
        }
        long version = coordinator.security().feed().version();

        assertThat(credentials.ensureUser("admin", "first").join()).isFalse();
        assertThat(coordinator.security().feed().version()).isEqualTo(version);

        assertAccepted(alter(List.of(), List.of(upsertion("admin", SHA_512, 4096, "changed by hand"))), "admin");
        assertThat(credentials.ensureUser("admin", "first").join()).isTrue();
        assertVerifies(byMechanism(coordinator.security().feed(), "admin").get("SCRAM-SHA-512"), SHA_512, "first");

        assertAccepted(alter(List.of(deletion("admin", SHA_256)), List.of()), "admin");
        assertThat(credentials.ensureUser("admin", "second").join()).isTrue();
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            assertVerifies(byMechanism(coordinator.security().feed(), "admin").get(mechanism.mechanismName()), mechanism,
                    "second");
        }
    }

    // ---- helpers

    private static void assertVerifies(SecurityFeed.Credential credential, ScramMechanism mechanism, String password)
            throws Exception {
        Base64.Decoder base64 = Base64.getDecoder();
        ScramFormatter formatter = new ScramFormatter(mechanism);
        byte[] salted = formatter.saltedPassword(password, base64.decode(credential.salt()), credential.iterations());
        assertThat(credential.iterations()).isEqualTo(4096);
        assertThat(base64.decode(credential.storedKey())).isEqualTo(formatter.storedKey(formatter.clientKey(salted)));
        assertThat(base64.decode(credential.serverKey())).isEqualTo(formatter.serverKey(salted));
    }

    private static Map<String, SecurityFeed.Credential> byMechanism(SecurityFeed feed, String user) {
        return feed.credentials().stream().filter(c -> c.user().equals(user))
                .collect(Collectors.toMap(SecurityFeed.Credential::mechanism, c -> c));
    }

    private AlterUserScramCredentialsResponseData alter(List<ScramCredentialDeletion> deletions,
            List<ScramCredentialUpsertion> upsertions) {
        return coordinator.send(new AlterUserScramCredentialsRequestData()
                .setDeletions(new ArrayList<>(deletions)).setUpsertions(new ArrayList<>(upsertions)));
    }

    private DescribeUserScramCredentialsResponseData describeAll(List<UserName> users) {
        DescribeUserScramCredentialsResponseData response = coordinator.send(
                new DescribeUserScramCredentialsRequestData().setUsers(users));
        assertThat(response.errorCode()).isZero();
        return response;
    }

    private DescribeUserScramCredentialsResponseData describe(String user) {
        return describeAll(List.of(new UserName().setName(user)));
    }

    private static DescribeUserScramCredentialsResult single(DescribeUserScramCredentialsResponseData response) {
        assertThat(response.results()).hasSize(1);
        return response.results().get(0);
    }

    private static ScramCredentialUpsertion upsertion(String user, ScramMechanism mechanism, int iterations,
            String password) {
        try {
            byte[] salt = new ScramFormatter(mechanism).secureRandomBytes();
            return new ScramCredentialUpsertion().setName(user).setMechanism(mechanism.type())
                    .setIterations(iterations).setSalt(salt)
                    .setSaltedPassword(new ScramFormatter(mechanism).saltedPassword(password, salt, iterations));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ScramCredentialUpsertion upsertion(String user, ScramMechanism mechanism, int iterations) {
        return upsertion(user, mechanism.type(), iterations);
    }

    /** An upsertion whose salted password is made up: enough for a request the coordinator refuses or keeps. */
    private static ScramCredentialUpsertion upsertion(String user, byte mechanism, int iterations) {
        return new ScramCredentialUpsertion().setName(user).setMechanism(mechanism).setIterations(iterations)
                .setSalt("salt".getBytes(StandardCharsets.UTF_8))
                .setSaltedPassword("salted".getBytes(StandardCharsets.UTF_8));
    }

    private static ScramCredentialDeletion deletion(String user, ScramMechanism mechanism) {
        return deletion(user, mechanism.type());
    }

    private static ScramCredentialDeletion deletion(String user, byte mechanism) {
        return new ScramCredentialDeletion().setName(user).setMechanism(mechanism);
    }

    private static AlterUserScramCredentialsResult result(AlterUserScramCredentialsResponseData response,
            String user) {
        List<AlterUserScramCredentialsResult> results = response.results().stream()
                .filter(r -> r.user().equals(user)).toList();
        assertThat(results).as("results for %s", user).hasSize(1);
        return results.get(0);
    }

    private static void assertAccepted(AlterUserScramCredentialsResponseData response, String... users) {
        assertThat(response.results()).extracting(AlterUserScramCredentialsResult::user)
                .containsExactlyInAnyOrder(users);
        assertThat(response.results()).allSatisfy(r -> assertThat(r.errorCode()).as(r.errorMessage()).isZero());
    }

    private static void assertRefused(AlterUserScramCredentialsResponseData response, String user, Errors error) {
        assertThat(Errors.forCode(result(response, user).errorCode())).isEqualTo(error);
    }
}
