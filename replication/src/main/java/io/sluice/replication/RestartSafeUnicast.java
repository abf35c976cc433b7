package io.sluice.replication;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.UNICAST3;

/**
 * UNICAST3 whose connection ids start at a random number instead of 0. A node back from a crash has its former
 * address ({@link NodeAddress}); while the others still keep its former self's connection (for
 * {@code conn_close_timeout} after it left the view), a message on a connection of the same id is taken for a repeat
 * of one already delivered and dropped: a node back that soon saw its JOIN ignored 10 times and formed a cluster of
 * its own. On an id the others do not know, they start a new connection at once. Its headers are UNICAST3's, under
 * UNICAST3's protocol id, so it speaks with plain UNICAST3.
 * <p>
 * The other way round, a member that comes back into the view while this node still keeps its send connection to the
 * former self gets a new one ({@link #down}). UNICAST3 would open the old one again, and the node back, which knows
 * nothing of it, asks for its first message with a request numbered from its own counter, which starts at 0 again:
 * UNICAST3 ignores a request not numbered above the last its former self sent (every acknowledgement counts), so the
 * JOIN's answer and every later message stayed unread until the counter caught up: 79 s once in StoreTransferIT.
 */
public final class RestartSafeUnicast extends UNICAST3 {

    public RestartSafeUnicast() {
        setId(ClassConfigurator.getProtocolId(UNICAST3.class));
        last_conn_id = (short) ThreadLocalRandom.current().nextInt(Short.MAX_VALUE);
    }

    @Override
    public Object down(Event event) {
        if (event.getType() == Event.VIEW_CHANGE) {
            dropConnectionsToFormerSelves(event.arg());
        }
        return super.down(event);
    }

    /**
     * A member new to the view to which this node keeps a send connection that is not open (closing since the member
     * left, at most {@code conn_close_timeout} ago) is a new self under the former address: that connection, and what
     * it still holds for the former self, goes. Before UNICAST3 sees the view, which would open it again.
     */
    private void dropConnectionsToFormerSelves(View view) {
        List<Address> before = members;
        for (Address member : view.getMembers()) {
            if (!before.contains(member) && send_table.containsKey(member) && !hasSendConnectionTo(member)) {
                removeSendConnection(member);
            }
        }
    }
}
