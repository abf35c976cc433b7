package io.sluice.gateway.quota;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * One client's byte rates, for a caller that waits out what the client owes before serving it instead of telling it
 * how long to wait, as a Kafka answer does: the HTTP API, whose clients know no throttle time. The debt is the one
 * {@link Throttles} keeps, so the client's Kafka requests on this gateway count with these. Without any quota nothing
 * is measured and nothing waits.
 */
public final class QuotaAccount {

    private final Throttles throttles;
    private final String user;
    private final String clientId;
    private final LongFunction<Executor> after;

    QuotaAccount(Throttles throttles, String user, String clientId) {
        this(throttles, user, clientId, ms -> CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    }

    /** @param after runs a task that many ms later, holding no thread meanwhile */
    QuotaAccount(Throttles throttles, String user, String clientId, LongFunction<Executor> after) {
        this.throttles = throttles;
        this.user = user;
        this.clientId = clientId;
        this.after = after;
    }

    public String user() {
        return user;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * Completes once the client owes nothing under the {@code kind} quota: at once without one. What it owes is looked
     * at again after each wait, so clients waiting side by side go no faster than one.
     */
    public CompletableFuture<Void> paidUp(String kind) {
        long owed = throttles.active() ? throttles.owed(kind, user, clientId) : 0;
        if (owed == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
        }, after.apply(owed)).thenCompose(waited -> paidUp(kind));
    }

    /** The most of {@code asked} bytes the client may take at once under the {@code kind} quota. */
    public int atOnce(String kind, int asked) {
        if (!throttles.active()) {
            return asked;
        }
        OptionalLong burst = throttles.burst(kind, user, clientId);
        return burst.isPresent() ? (int) Math.min(asked, burst.getAsLong()) : asked;
    }

    /** Records what the client took under the {@code kind} quota; {@code amount} is not asked for without a quota. */
    public void spend(String kind, LongSupplier amount) {
        if (throttles.active()) {
            throttles.record(kind, user, clientId, amount.getAsLong());
        }
    }
}
