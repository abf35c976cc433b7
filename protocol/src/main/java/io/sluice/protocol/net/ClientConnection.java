package io.sluice.protocol.net;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

import io.sluice.protocol.codec.RequestFrame;

/** What a handler may know of the client connection a request came on, and per-connection state it keeps. */
public final class ClientConnection {

    private final String remoteAddress;
    private final String host;
    private final Map<Class<?>, AutoCloseable> attachments = new ConcurrentHashMap<>();
    private volatile KafkaPrincipal principal;
    private volatile LongConsumer muting = ms -> {
    };
    private volatile Runnable closing = () -> {
    };
    private final Map<RequestFrame, Runnable> afterAnswers = new IdentityHashMap<>();
    private boolean closed;

    ClientConnection(String remoteAddress, String host, KafkaPrincipal principal) {
        this.remoteAddress = remoteAddress;
        this.host = host;
        this.principal = principal;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The client's IP address, as ACLs name hosts. */
    public String host() {
        return host;
    }

    /**
     * Who the client is: the user it authenticated as over SASL, else its TLS certificate's subject, else
     * {@link KafkaPrincipal#ANONYMOUS}.
     */
    public KafkaPrincipal principal() {
        return principal;
    }

    /**
     * Stops reading the client's requests for {@code ms} (a quota's throttle, as Kafka mutes a channel after sending a
     * throttled answer); answers already under way still go.
     */
    public void mute(long ms) {
        if (ms > 0) {
            muting.accept(ms);
        }
    }

    void mutedBy(LongConsumer muting) {
        this.muting = muting;
    }

    /**
     * Closes the connection now, leaving the requests under way on it unanswered, as a server that stops serving does:
     * the client looks for another server.
     */
    public void close() {
        closing.run();
    }

    void closedBy(Runnable closing) {
        this.closing = closing;
    }

    void authenticated(KafkaPrincipal user) {
        if (user != null) {
            principal = user;
        }
    }

    /** Per-connection state of a given type, created on first use and closed with the connection. */
    @SuppressWarnings("unchecked")
    public <T extends AutoCloseable> T attachment(Class<T> type, java.util.function.Supplier<T> factory) {
        return (T) attachments.computeIfAbsent(type, t -> factory.get());
    }

    /**
     * Runs {@code action} once the answer to {@code request} has been written to the client's socket, or the connection
     * has closed without it: what the answer holds (its bytes, queued for a slow reader) is freed only then.
     */
    public void afterAnswerWritten(RequestFrame request, Runnable action) {
        synchronized (afterAnswers) {
            if (!closed) {
                afterAnswers.put(request, action);
                return;
            }
        }
        action.run();
    }

    void answerWritten(RequestFrame request) {
        Runnable action;
        synchronized (afterAnswers) {
            action = afterAnswers.remove(request);
        }
        if (action != null) {
            action.run();
        }
    }

    void closeAttachments() {
        List<Runnable> unanswered;
        synchronized (afterAnswers) {
            closed = true;
            unanswered = new ArrayList<>(afterAnswers.values());
            afterAnswers.clear();
        }
        unanswered.forEach(Runnable::run);
        for (AutoCloseable attachment : attachments.values()) {
            try {
                attachment.close();
            } catch (Exception e) {
                // closing on disconnect: nothing left to tell the client
            }
        }
        attachments.clear();
    }
}
