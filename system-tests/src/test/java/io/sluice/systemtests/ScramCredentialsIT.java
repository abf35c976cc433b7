package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.sluice.cli.local.ClusterLayout;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.security.MemberCredential;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * SCRAM credentials administered with Kafka's own Admin client through the gateway, and the keys the coordinator
 * derives from them as the gateways' feed ({@code GET /internal/security}) hands them out.
 */
@SluiceCluster
class ScramCredentialsIT {

    static TestCluster cluster;
    static Admin admin;

    @Test
    void credentialsAreUpsertedDescribedAndDeletedAndTheFeedCarriesTheirKeys() throws Exception {
        String user = "scram-it-alice";
        String password = "correct horse battery staple";
        byte[] salt = "a salt the test chose".getBytes(StandardCharsets.UTF_8);

        alter(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                password.getBytes(StandardCharsets.UTF_8), salt));
        alter(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                password.getBytes(StandardCharsets.UTF_8), salt));

        assertThat(describe(user).credentialInfos()).containsExactlyInAnyOrder(
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
        assertThat(admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS)).contains(user);

        ScramFormatter formatter = new ScramFormatter(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512);
        byte[] salted = formatter.saltedPassword(password, salt, 8192);
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, Object> credential = feedCredential(user, "SCRAM-SHA-512");
        assertThat(credential.get("salt")).isEqualTo(base64.encodeToString(salt));
        assertThat(credential.get("iterations")).isEqualTo(8192);
        assertThat(credential.get("storedKey"))
                .isEqualTo(base64.encodeToString(formatter.storedKey(formatter.clientKey(salted))));
        assertThat(credential.get("serverKey")).isEqualTo(base64.encodeToString(formatter.serverKey(salted)));
        long version = feed().getLong("version");

        alter(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_256));
        assertThat(describe(user).credentialInfos())
                .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
        assertThat(feed().getLong("version")).isGreaterThan(version);
        alter(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));

        assertThatThrownBy(() -> describe(user)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> alter(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ResourceNotFoundException.class);
        List<Map<String, Object>> left = feed().getList("credentials");
        assertThat(left).noneMatch(c -> user.equals(c.get("user")));
    }

    @Test
    void iterationsOutsideWhatKafkaAcceptsAreUnacceptable() {
        String user = "scram-it-bob";
        for (int iterations : new int[] { 1024, 16385 }) {
            assertThatThrownBy(() -> alter(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, iterations),
                    "secret".getBytes(StandardCharsets.UTF_8), "salt".getBytes(StandardCharsets.UTF_8))))
                    .as("%d iterations", iterations)
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnacceptableCredentialException.class);
        }
        assertThatThrownBy(() -> describe(user)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ResourceNotFoundException.class);
    }

    private static void alter(UserScramCredentialAlteration alteration) throws Exception {
        admin.alterUserScramCredentials(List.of(alteration)).all().get(30, TimeUnit.SECONDS);
    }

    private static UserScramCredentialsDescription describe(String user) throws Exception {
        return admin.describeUserScramCredentials(List.of(user)).description(user).get(30, TimeUnit.SECONDS);
    }

    /** The active coordinator's feed for the gateways. */
    private static JsonPath feed() {
        String active = cluster.activeCoordinator().orElseThrow();
        return given().baseUri(ClusterLayout.httpUrl(cluster.member(active)))
                .header(MemberCredential.HEADER, cluster.memberCredential().token()).get(CoordinatorContract.SECURITY_PATH)
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> feedCredential(String user, String mechanism) {
        List<Map<String, Object>> credentials = feed().getList("credentials");
        List<Map<String, Object>> found = credentials.stream()
                .filter(c -> user.equals(c.get("user")) && mechanism.equals(c.get("mechanism"))).toList();
        assertThat(found).as("%s's %s credential in the feed", user, mechanism).hasSize(1);
        return found.get(0);
    }
}
