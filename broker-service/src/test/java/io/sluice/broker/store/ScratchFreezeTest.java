package io.sluice.broker.store;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ScratchFreezeTest {

    @Test
    void freezeAndThaw() throws Exception {
        try (StoreCluster cl = StoreCluster.create(3)) {
            StoreNodeProcess ext = StoreNodeProcess.start(cl, 2);
            cl.startAll(0, 1);
            cl.awaitStable(3);
            StoreData data = new StoreData();
            for (int rf = 2; rf <= 3; rf++) data.write(cl.node(0), rf, "t", 8, 0, 5, "v1");
            long t0 = System.nanoTime();
            new ProcessBuilder("kill", "-STOP", Long.toString(ext.pid())).start().waitFor();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> cl.node(0).members().size() == 2);
            System.out.println("frozen node out of the view after ms " + (System.nanoTime() - t0) / 1_000_000);
            cl.awaitStable(2);
            for (int rf = 2; rf <= 3; rf++) {
                for (int p = 0; p < 4; p++) data.delete(cl.node(p % 2), rf, new ChunkKey("t", p, 0));
                data.deletePartition(cl.node(0), rf, "t", 4);
                data.write(cl.node(1), rf, "t", 8, 1, 1, "v2");
                data.write(cl.node(0), rf, "t", 8, 5, 2, "v2");
            }
            t0 = System.nanoTime();
            new ProcessBuilder("kill", "-CONT", Long.toString(ext.pid())).start().waitFor();
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> cl.node(0).members().size() == 3);
            System.out.println("thawed node merged back after ms " + (System.nanoTime() - t0) / 1_000_000);
            cl.awaitStable(3);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !ext.rebalancing());
            System.out.println("members ext " + ext.members());
            try {
                data.verify(ext, "node-2");
                System.out.println("VERIFY EXT OK");
            } catch (AssertionError e) {
                System.out.println("VERIFY EXT FAILED " + e.getMessage());
            }
            try {
                data.verify(StoreData.reader(cl.node(0)), "node-0");
                System.out.println("VERIFY 0 OK");
            } catch (AssertionError e) {
                System.out.println("VERIFY 0 FAILED " + e.getMessage());
            }
            ext.close();
        }
    }
}
