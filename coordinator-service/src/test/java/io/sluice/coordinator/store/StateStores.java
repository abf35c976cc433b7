package io.sluice.coordinator.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.sluice.replication.NodeSettings;

/** State stores for tests. */
public final class StateStores {

    private StateStores() {
    }

    /** A store of one replica alone in its cluster, on a free loopback port, with a fresh directory of its own. */
    public static StateStore alone(String cluster) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory(cluster);
        StateStore store = StateStore.start(new NodeSettings("test", cluster, dir, "127.0.0.1", port,
                "127.0.0.1[" + port + "]", Optional.empty()), 1);
        store.hold();
        return store;
    }
}
