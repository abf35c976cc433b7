package io.sluice.protocol.security;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/** Where a listener finds users' salted credentials; looked up on every authentication, so it must not block. */
@FunctionalInterface
public interface ScramCredentials {

    /** The user's credential for the mechanism; null when it has none. */
    ScramCredential find(String user, ScramMechanism mechanism);
}
