package io.sluice.gateway.http;

/** A request the HTTP API refuses or cannot serve: its status and a message for the client. */
public final class HttpError extends RuntimeException {

    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
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
}
