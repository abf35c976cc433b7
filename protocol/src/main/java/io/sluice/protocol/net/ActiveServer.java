package io.sluice.protocol.net;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several servers of which one serves at a time (the coordinator replicas: only the active one listens), shared by
 * every {@link ReconnectingChannel} to them: which one to try first (the one that last answered, as far as anyone
 * knows), and, when one stops answering without closing its connections (paused, or cut off by the network), giving
 * it up on every channel at once rather than each finding out at its own request's deadline.
 */
public final class ActiveServer {

    private final List<String> addresses;
    private final Set<ReconnectingChannel> channels = ConcurrentHashMap.newKeySet();
    private int first;

    /** @param addresses host:port of each server */
    public ActiveServer(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no server addresses");
        }
        this.addresses = List.copyOf(addresses);
    }

    int size() {
        return addresses.size();
    }

    String address(int index) {
        return addresses.get(index);
    }

    /** The server a new connection tries first. */
    synchronized int first() {
        return first;
    }

    /** The server at {@code index} took a connection: new connections try it first. */
    synchronized void answered(int index) {
        first = index;
    }

    /** The server at {@code index} refused or stopped answering: unless another channel moved on already, so do all. */
    synchronized void moveOn(int index) {
        if (first == index) {
            first = (index + 1) % addresses.size();
        }
    }

    void register(ReconnectingChannel channel) {
        channels.add(channel);
    }

    void unregister(ReconnectingChannel channel) {
        channels.remove(channel);
    }

    /** Gives up on the server at {@code index}: every channel connected to it closes that connection. */
    void abandon(int index) {
        moveOn(index);
        channels.forEach(channel -> channel.abandonIfConnectedTo(index));
    }
}
