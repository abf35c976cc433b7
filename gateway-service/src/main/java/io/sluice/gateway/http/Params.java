package io.sluice.gateway.http;

/** Path and query parameters read by hand, so a malformed one is a 400 with a message rather than JAX-RS's 404. */
final class Params {

    private Params() {
    }

    static long longIn(String name, String given, long defaultValue, long min, long max) {
        if (given == null || given.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(given.trim());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, not '" + abbreviated(given) + "'");
        }
        if (value < min || value > max) {
            throw HttpError.badRequest(name + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    static int intIn(String name, String given, int defaultValue, int min, int max) {
        return (int) longIn(name, given, defaultValue, min, max);
    }

    static long required(String name, String given, long min, long max) {
        if (given == null || given.isEmpty()) {
            throw HttpError.badRequest(name + " is required");
        }
        return longIn(name, given, 0, min, max);
    }

    private static String abbreviated(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
