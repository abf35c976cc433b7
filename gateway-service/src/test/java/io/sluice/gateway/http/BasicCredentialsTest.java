package io.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theUserEndsAtTheFirstColonAndThePasswordMayHoldMore() {
        assertThat(BasicCredentials.parse(basic("alice:s3:cr:et")))
                .isEqualTo(new BasicCredentials("alice", "s3:cr:et"));
        assertThat(BasicCredentials.parse("  bAsIc   " + basic("bob:").substring(6) + " "))
                .isEqualTo(new BasicCredentials("bob", ""));
        assertThat(BasicCredentials.parse(basic("jürgen:pässwort")))
                .isEqualTo(new BasicCredentials("jürgen", "pässwort"));
    }

    @Test
    void whatIsNotBasicWithAUserIsNoCredentials() {
        assertThat(BasicCredentials.parse(null)).isNull();
        assertThat(BasicCredentials.parse("Bearer abc")).isNull();
        assertThat(BasicCredentials.parse("Basic")).isNull();
        assertThat(BasicCredentials.parse("Basic not-base64!")).isNull();
        assertThat(BasicCredentials.parse(basic("no colon"))).isNull();
        assertThat(BasicCredentials.parse(basic(":password without user"))).isNull();
        assertThat(BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString(new byte[] { 'a', ':',
                (byte) 0xC3 }))).isNull();
    }

    @Test
    void thePasswordIsNeverPrinted() {
        assertThat(BasicCredentials.parse(basic("alice:s3cret")).toString()).contains("alice")
                .doesNotContain("s3cret");
    }
}
