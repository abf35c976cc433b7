package io.sluice.gateway;

import java.net.http.HttpRequest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.security.MemberCredential;

/**
 * This gateway's member credential, when the cluster has a member secret: its channels to brokers and coordinators
 * log in with it, and its calls to the coordinators' HTTP endpoints carry its token.
 */
@ApplicationScoped
public class MemberSecurity {

    @Inject
    GatewayConfig config;

    private Optional<MemberCredential> credential;

    private synchronized Optional<MemberCredential> credential() {
        if (credential == null) {
            credential = config.security().memberSecret().map(MemberCredential::new);
        }
        return credential;
    }

    public ChannelLogin login() {
        return credential().map(MemberCredential::login).orElse(ChannelLogin.NONE);
    }

    /** The request, with the member token when there is one. */
    public HttpRequest.Builder sign(HttpRequest.Builder request) {
        credential().ifPresent(member -> request.header(MemberCredential.HEADER, member.token()));
        return request;
    }
}
