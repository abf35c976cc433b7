package io.sluice.replication;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JGroups ports for the members of a test cluster on loopback (shared with the broker and coordinator tests as this
 * module's test jar).
 */
public final class MemberPorts {

    private MemberPorts() {
    }

    /**
     * Ports free now, each with its failure-detection port (+100) free too, below Linux's ephemeral range (32768 up): a
     * member restarted on its port must not find it taken by another member's outgoing connection meanwhile.
     */
    public static int[] free(int count) {
        int[] ports = new int[count];
        int found = 0;
        while (found < count) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            boolean clash = Arrays.stream(ports, 0, found)
                    .anyMatch(p -> Math.abs(p - candidate) <= 1 || Math.abs(Math.abs(p - candidate) - 100) <= 1);
            if (!clash && bindable(candidate) && bindable(candidate + 100)) {
                ports[found++] = candidate;
            }
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
