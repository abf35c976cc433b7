package io.sluice.systemtests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import io.sluice.testcluster.Offsets;

/**
 * Reads a group's committed offsets four times a second, as a member resuming after a failure would, and keeps every
 * read in which one went back: lower than read before, or gone. Kafka never moves a committed offset back by itself,
 * so such a read means a member would process again what the group had committed, or reset its position. A read that
 * fails (the coordinator is away) is skipped.
 */
final class CommitWatch implements AutoCloseable {

    private static final long PERIOD_MS = 250;

    private final Admin admin;
    private final String group;
    private final Map<TopicPartition, Long> highest = new HashMap<>();
    private final List<String> wentBack = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    CommitWatch(Admin admin, String group) {
        this.admin = admin;
        this.group = group;
        this.reader = new Thread(this::readUntilClosed, "commit-watch-" + group);
        reader.setDaemon(true);
        reader.start();
    }

    /** Each read in which a committed offset went back, described. */
    synchronized List<String> wentBack() {
        return List.copyOf(wentBack);
    }

    private void readUntilClosed() {
        while (!closed) {
            try {
                check(Offsets.committed(admin, group));
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception unavailable) {
                // the coordinator is away or taking over: the next read tells
            }
        }
    }

    private synchronized void check(Map<TopicPartition, Long> committed) {
        highest.forEach((partition, before) -> {
            Long now = committed.get(partition);
            if (now == null || now < before) {
                wentBack.add(partition + " read " + (now == null ? "no offset" : now) + " after " + before);
            }
        });
        committed.forEach((partition, offset) -> highest.merge(partition, offset, Math::max));
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.interrupt();
        reader.join(10_000);
    }
}
