package io.sluice.broker.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.infinispan.remoting.transport.jgroups.FileJGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;

/**
 * The JGroups stack of the store cluster: {@code jgroups-sluice-tcp.xml} (static discovery) or, when a DNS query is
 * set, {@code jgroups-sluice-kubernetes.xml}, with this node's address, port and peers filled in.
 */
final class StoreChannel {

    static final String TCP_STACK = "jgroups-sluice-tcp.xml";
    static final String KUBERNETES_STACK = "jgroups-sluice-kubernetes.xml";

    private StoreChannel() {
    }

    static JGroupsChannelConfigurator configurator(StoreSettings settings) {
        String stack = settings.dnsQuery().isPresent() ? KUBERNETES_STACK : TCP_STACK;
        Properties values = new Properties();
        values.setProperty("sluice.jgroups.bind_addr", settings.bindAddress());
        values.setProperty("sluice.jgroups.bind_port", Integer.toString(settings.bindPort()));
        settings.dnsQuery().ifPresentOrElse(query -> values.setProperty("sluice.jgroups.dns_query", query),
                () -> values.setProperty("sluice.jgroups.initial_hosts", settings.initialHosts()));
        try (InputStream in = StoreChannel.class.getClassLoader().getResourceAsStream(stack)) {
            if (in == null) {
                throw new IllegalStateException("JGroups stack " + stack + " is not on the class path");
            }
            return new FileJGroupsChannelConfigurator("sluice-store", stack, in, values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JGroups stack " + stack, e);
        }
    }
}
