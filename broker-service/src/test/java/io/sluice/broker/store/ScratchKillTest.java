package io.sluice.broker.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ScratchKillTest {

    static byte[] v(int rf, int p, long o, String gen) {
        return (gen + "-" + rf + ":" + p + ":" + o).getBytes(StandardCharsets.UTF_8);
    }

    static void write(PartitionStore s, int rf, int fromP, int toP, int fromC, int toC, String gen) {
        List<CompletableFuture<Void>> w = new ArrayList<>();
        for (int p = fromP; p < toP; p++) {
            for (int c = fromC; c < toC; c++) {
                w.add(s.write(rf, new ChunkKey("t", p, c), v(rf, p, c, gen), ("i" + c).getBytes()));
            }
        }
        CompletableFuture.allOf(w.toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void killAndRejoin() throws Exception {
        try (StoreCluster cl = StoreCluster.create(3)) {
            cl.startAll(0, 1);
            StoreNodeProcess ext0 = StoreNodeProcess.start(cl, 2);
            StoreNodeProcess ext = ext0;
            System.out.println("members " + cl.node(0).members() + " ext " + ext.ask("members"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !cl.node(0).rebalancing() && !cl.node(1).rebalancing() && ext0.ask("rebalancing").equals("false"));
            for (int rf = 2; rf <= 3; rf++) {
                write(cl.node(0), rf, 0, 20, 0, 5, "g1");
            }
            System.out.println("ext sees " + ext.ask("chunk 3 t 0 0") + " index " + ext.ask("index 3 t 0"));
            long t0 = System.nanoTime();
            ext.kill();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> cl.node(0).members().size() == 2);
            System.out.println("view shrank after ms " + (System.nanoTime() - t0) / 1_000_000);
            // reads right away
            int missing = 0;
            for (int rf = 2; rf <= 3; rf++) for (int p = 0; p < 20; p++) for (int c = 0; c < 5; c++) {
                if (cl.node(1).readChunk(rf, new ChunkKey("t", p, c)).join() == null) missing++;
            }
            System.out.println("missing right after kill " + missing);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !cl.node(0).rebalancing() && !cl.node(1).rebalancing());
            System.out.println("rebalanced after ms " + (System.nanoTime() - t0) / 1_000_000);
            // deletions and new writes while it is gone
            for (int rf = 2; rf <= 3; rf++) {
                for (int p = 0; p < 10; p++) cl.node(0).delete(rf, new ChunkKey("t", p, 0)).join();
                for (int p = 10; p < 15; p++) cl.node(1).deletePartition(rf, "t", p).join();
                write(cl.node(1), rf, 0, 20, 5, 7, "g2");
                write(cl.node(1), rf, 0, 20, 1, 2, "g3");  // overwrite chunk 1
            }
            ext = StoreNodeProcess.start(cl, 2);
            StoreNodeProcess e2 = ext;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !cl.node(0).rebalancing() && !cl.node(1).rebalancing() && e2.ask("rebalancing").equals("false"));
            System.out.println("rejoined " + ext.ask("members"));
            int resurrected = 0, lost = 0, stale = 0, indexBad = 0;
            for (int rf = 2; rf <= 3; rf++) for (int p = 0; p < 20; p++) {
                String idx = ext.ask("index " + rf + " t " + p);
                String expectIdx = p >= 10 && p < 15 ? "1,5,6" : (p < 10 ? "1,2,3,4,5,6" : "0,1,2,3,4,5,6");
                if (!idx.equals(expectIdx)) { indexBad++; System.out.println("index rf" + rf + " p" + p + " = " + idx + " expected " + expectIdx); }
                for (int c = 0; c < 7; c++) {
                    String got = ext.ask("chunk " + rf + " t " + p + " " + c);
                    boolean shouldExist = (p >= 10 && p < 15) ? (c == 1 || c >= 5) : !(p < 10 && c == 0);
                    String gen = c >= 5 ? "g2" : (c == 1 ? "g3" : "g1");
                    if (!shouldExist && !got.equals("absent")) resurrected++;
                    if (shouldExist && got.equals("absent")) lost++;
                    if (shouldExist && !got.equals("absent") && !got.equals(gen + "-" + rf + ":" + p + ":" + c)) stale++;
                }
            }
            System.out.println("from rejoined node: resurrected=" + resurrected + " lost=" + lost + " stale=" + stale + " indexBad=" + indexBad);
            ext.close();
        }
    }
}
