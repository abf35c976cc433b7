package io.sluice.protocol.membership;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

import org.infinispan.remoting.transport.jgroups.FileJGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;

/**
 * The JGroups stacks of Sluice's embedded Infinispan clusters (the brokers' store, the coordinators' state):
 * {@code jgroups-sluice-tcp.xml} (static discovery) or, when a DNS query is set, {@code jgroups-sluice-kubernetes.xml},
 * with this node's address, port and peers filled in. Infinispan takes the result as the transport property
 * {@code JGroupsTransport.CHANNEL_CONFIGURATOR} (a transport object handed to its builder is not used).
 */
public final class JGroupsStacks {

    static final String TCP_STACK = "jgroups-sluice-tcp.xml";
    static final String KUBERNETES_STACK = "jgroups-sluice-kubernetes.xml";

    private JGroupsStacks() {
    }

    /**
     * @param initialHosts static peers, {@code host[port],host[port]}, used when {@code dnsQuery} is empty
     * @param dnsQuery     a DNS name whose records are the peers (a Kubernetes headless Service)
     */
    public static JGroupsChannelConfigurator configurator(String name, String bindAddress, int bindPort,
            String initialHosts, Optional<String> dnsQuery) {
        String stack = dnsQuery.isPresent() ? KUBERNETES_STACK : TCP_STACK;
        Properties values = new Properties();
        values.setProperty("sluice.jgroups.bind_addr", bindAddress);
        values.setProperty("sluice.jgroups.bind_port", Integer.toString(bindPort));
        dnsQuery.ifPresentOrElse(query -> values.setProperty("sluice.jgroups.dns_query", query),
                () -> values.setProperty("sluice.jgroups.initial_hosts", initialHosts));
        try (InputStream in = JGroupsStacks.class.getClassLoader().getResourceAsStream(stack)) {
            if (in == null) {
                throw new IllegalStateException("JGroups stack " + stack + " is not on the class path");
            }
            return new FileJGroupsChannelConfigurator(name, stack, in, values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JGroups stack " + stack, e);
        }
    }
}
