package io.sluice.gateway.http;

/** A request the HTTP API refuses or cannot serve: its status and a message for the client. */
public final class HttpError extends RuntimeException {

    private final int status;
    private final long retryAfterSeconds;

    public HttpError(int status, String message) {
        this(status, message, 0);
    }

    private HttpError(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** How long a client told to slow down (429) waits before it tries again ({@code Retry-After}); 0 if not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static HttpError unprocessable(String message) {
        return new HttpError(422, message);
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    public static HttpError tooLarge(String message) {
        return new HttpError(413, message);
    }

    /** 429, to try again in {@code waitMs}: {@code Retry-After} in whole seconds, rounded up. */
    public static HttpError tooManyRequests(String message, long waitMs) {
        return new HttpError(429, message, Math.max(1, (waitMs + 999) / 1_000));
    }
}
