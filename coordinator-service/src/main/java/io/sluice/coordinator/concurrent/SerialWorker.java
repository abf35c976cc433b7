package io.sluice.coordinator.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * One thread that owns a piece of coordinator state: everything that reads or changes it runs here, one step at a
 * time, so the state needs no locks. Steps may complete later (a store write, a marker) without holding the thread.
 */
public final class SerialWorker implements Executor, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SerialWorker.class);

    private final String name;
    private final ScheduledExecutorService thread;

    public SerialWorker(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name));
    }

    /** Runs {@code work} on the thread; the result completes when the stage it returns does. */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                work.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: request failed", name);
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void execute(Runnable step) {
        thread.execute(guarded(step));
    }

    public void schedule(long delayMs, Runnable step) {
        thread.schedule(guarded(step), delayMs, TimeUnit.MILLISECONDS);
    }

    public void every(long periodMs, Runnable step) {
        thread.scheduleWithFixedDelay(guarded(step), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: step failed", name);
            }
        };
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
