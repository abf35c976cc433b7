package io.sluice.operator.user;

import io.sluice.operator.resource.ObservedStatus;

/** What the operator last did for a {@link User}. */
public class UserStatus extends ObservedStatus {

    private String username;
    private String principal;
    private String secret;

    /** The name the user logs in with. */
    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    /** The principal the cluster's ACLs name. */
    public String getPrincipal() {
        return principal;
    }

    public void setPrincipal(String principal) {
        this.principal = principal;
    }

    /** The Secret holding the user's credentials. */
    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }
}
