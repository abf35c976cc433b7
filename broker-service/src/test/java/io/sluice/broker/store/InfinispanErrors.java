package io.sluice.broker.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The ERROR lines Infinispan logs in this JVM while open: what an operator would see and a system test would fail on. */
final class InfinispanErrors extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("org.infinispan");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    InfinispanErrors() {
        logger.addHandler(this);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            lines.add(record.getLoggerName() + ": " + record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
