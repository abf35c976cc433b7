package io.sluice.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Finding ports nobody listens on, on loopback. */
final class Ports {

    /** Free ports are picked below Linux's ephemeral range, so outgoing connections cannot take them meanwhile. */
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;

    private Ports() {
    }

    /** Whether a server could listen on {@code port} on loopback right now. */
    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port, and the one {@code pairOffset} above it when that is not 0, both free and not in {@code taken}; both are
     * added to {@code taken}.
     */
    static int free(Set<Integer> taken, int pairOffset) {
        int span = HIGH - LOW - pairOffset;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = LOW + (start + i) % span;
            int pair = port + pairOffset;
            if (!taken.contains(port) && !taken.contains(pair) && bindable(port) && (pairOffset == 0 || bindable(pair))) {
                taken.add(port);
                taken.add(pair);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH);
    }
}
