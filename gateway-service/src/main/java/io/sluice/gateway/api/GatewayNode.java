package io.sluice.gateway.api;

import io.sluice.protocol.contract.GatewayContract;

/** How the gateway presents itself to clients: the one node they ever connect to. */
public record GatewayNode(String host, int port) {

    public int id() {
        return GatewayContract.NODE_ID;
    }
}
