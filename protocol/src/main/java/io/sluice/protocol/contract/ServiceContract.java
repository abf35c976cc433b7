package io.sluice.protocol.contract;

/** What every Sluice service shares: where it keeps its files, its HTTP port and its health endpoints. */
public final class ServiceContract {

    public static final Setting DATA_DIR = new Setting("sluice.data-dir");
    public static final Setting HTTP_HOST = new Setting("quarkus.http.host");
    public static final Setting HTTP_PORT = new Setting("quarkus.http.port");
    public static final int HTTP_PORT_DEFAULT = 8080;

    public static final String STARTED_PATH = "/q/health/started";
    public static final String LIVE_PATH = "/q/health/live";
    public static final String READY_PATH = "/q/health/ready";

    private ServiceContract() {
    }
}
