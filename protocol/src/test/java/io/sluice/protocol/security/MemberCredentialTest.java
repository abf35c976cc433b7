package io.sluice.protocol.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.RequestDeadlines;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

/** A member's listener takes members only: SCRAM with the member secret, never the secret itself on the wire. */
class MemberCredentialTest {

    private static final SupportedApis APIS = SupportedApis.of(List.of(ApiVersionRange.of(ApiKeys.METADATA, 0, 12)),
            ServiceContract.MEMBER_SASL_APIS);

    private final MemberCredential member = new MemberCredential(MemberCredential.newSecret());
    private Vertx vertx;
    private KafkaServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = new KafkaServer("member", APIS,
                (request, connection) -> CompletableFuture.completedFuture(new MetadataResponseData()
                        .setClusterId(connection.principal().getName())),
                new RequestLimits(1024 * 1024, 1024 * 1024));
        server.listen(vertx, "127.0.0.1", 0, member.listener()).toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private CompletableFuture<KafkaChannel> connect(ChannelLogin login) {
        return KafkaChannel.connect(vertx, "test", "127.0.0.1", server.port(), RequestDeadlines.KAFKA_DEFAULT, login)
                .toCompletionStage().toCompletableFuture();
    }

    @Test
    void aMemberLogsInAndIsServedAsTheMemberPrincipal() throws Exception {
        KafkaChannel channel = connect(member.login()).get(10, TimeUnit.SECONDS);

        MetadataResponseData answer = (MetadataResponseData) channel.send(new MetadataRequestData(), (short) 12)
                .get(10, TimeUnit.SECONDS);

        assertThat(answer.clusterId()).isEqualTo(MemberCredential.USER);
    }

    @Test
    void anotherSecretIsRefusedAndTheChannelIsNeverHandedOut() {
        MemberCredential stranger = new MemberCredential(MemberCredential.newSecret());

        assertThatThrownBy(() -> connect(stranger.login()).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void aRequestWithoutLoginClosesTheConnectionUnanswered() throws Exception {
        KafkaChannel channel = connect(ChannelLogin.NONE).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> channel.send(new MetadataRequestData(), (short) 12).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("closed");
    }

    @Test
    void theHttpTokenIsDerivedNotTheSecretAndOnlyTheMembersIsTaken() {
        String secret = MemberCredential.newSecret();
        MemberCredential credential = new MemberCredential(secret);

        assertThat(credential.token()).doesNotContain(secret);
        assertThat(credential.admits(new MemberCredential(secret).token())).isTrue();
        assertThat(credential.admits(member.token())).isFalse();
        assertThat(credential.admits(null)).isFalse();
        assertThat(credential.admits(secret)).isFalse();
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new MemberCredential("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least");
    }
}
