package io.sluice.protocol.net;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * The TLS engine of every Sluice listener, Kafka and HTTPS: BoringSSL (netty-tcnative) where its native library loads,
 * the JDK's engine elsewhere. A secure consume took about a fifth less of the gateway's CPU with BoringSSL.
 */
public final class TlsEngine {

    private static final boolean BORINGSSL = OpenSSLEngineOptions.isAvailable();
    /** The engine's name, for the listeners' start-up lines. */
    public static final String NAME = BORINGSSL ? "BoringSSL" : "JDK TLS";

    private TlsEngine() {
    }

    public static SSLEngineOptions options() {
        return BORINGSSL ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }
}
