package io.sluice.replication;

import java.util.concurrent.ThreadLocalRandom;

import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.UNICAST3;

/**
 * UNICAST3 whose connection ids start at a random number instead of 0. A node back from a crash has its former
 * address ({@link NodeAddress}); while the others still keep its former self's connection (for
 * {@code conn_close_timeout} after it left the view), a message on a connection of the same id is taken for a repeat
 * of one already delivered and dropped: a node back that soon saw its JOIN ignored 10 times and formed a cluster of
 * its own. On an id the others do not know, they start a new connection at once. Its headers are UNICAST3's, under
 * UNICAST3's protocol id, so it speaks with plain UNICAST3.
 */
public final class RestartSafeUnicast extends UNICAST3 {

    public RestartSafeUnicast() {
        setId(ClassConfigurator.getProtocolId(UNICAST3.class));
        last_conn_id = (short) ThreadLocalRandom.current().nextInt(Short.MAX_VALUE);
    }
}
