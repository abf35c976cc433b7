package io.sluice.protocol.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.infinispan.remoting.transport.jgroups.AbstractJGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The JGroups stack of Sluice's embedded Infinispan clusters (brokers' store, coordinators' state): TCP, static or DNS discovery, and failure detection quick enough that a killed broker
 * is out of the view within a few seconds (FD_SOCK2 notices a dead process at once, FD_ALL3 a silent one in 4 s).
 */
public final class JGroupsStack {

    private JGroupsStack() {
    }

    /**
     * Hands Infinispan our channel; set it as the transport property {@code JGroupsTransport.CHANNEL_CONFIGURATOR}
     * (a transport object given to the builder directly is not used by Infinispan 16).
     */
    public static JGroupsChannelConfigurator configurator(String bindAddress, int bindPort, String initialHosts,
            Optional<String> dnsQuery) {
        return new AbstractJGroupsChannelConfigurator() {
            @Override
            public String getName() {
                return "sluice";
            }

            @Override
            public JChannel createChannel(String name) {
                return channel(bindAddress, bindPort, initialHosts, dnsQuery);
            }

            @Override
            public String getProtocolStackString() {
                return "sluice";
            }

            @Override
            public List<ProtocolConfiguration> getProtocolStack() {
                return List.of();
            }
        };
    }

    /**
     * A channel bound to {@code bindAddress:bindPort} that finds its peers among {@code initialHosts}
     * ({@code host[port],…}) or, when {@code dnsQuery} is present, through DNS (a Kubernetes headless Service).
     */
    public static JChannel channel(String bindAddress, int bindPort, String initialHosts, Optional<String> dnsQuery) {
        try {
            TCP tcp = new TCP();
            tcp.setBindAddress(InetAddress.getByName(bindAddress));
            tcp.setBindPort(bindPort);
            tcp.setPortRange(0);
            Protocol discovery = dnsQuery.isPresent()
                    ? new DNS_PING().setDNSQuery(dnsQuery.get())
                    : new TCPPING().initialHosts(hosts(initialHosts)).portRange(0);
            List<Protocol> stack = List.of(tcp, discovery, new MERGE3(),
                    new FD_SOCK2().setOffset(100),
                    new FD_ALL3().setTimeout(4_000).setInterval(1_000),
                    new VERIFY_SUSPECT2().setTimeout(1_000),
                    new NAKACK2(), new UNICAST3(), new STABLE(),
                    new GMS().setJoinTimeout(2_000),
                    new UFC(), new MFC(), new FRAG4());
            return new JChannel(stack);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the JGroups stack: " + e.getMessage(), e);
        }
    }

    /** Parses {@code host[port],host[port]}. */
    static List<InetSocketAddress> hosts(String initialHosts) {
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String entry : initialHosts.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int open = trimmed.indexOf('[');
            if (open < 0 || !trimmed.endsWith("]")) {
                throw new IllegalArgumentException("initial host '" + trimmed + "' is not host[port]");
            }
            hosts.add(new InetSocketAddress(trimmed.substring(0, open),
                    Integer.parseInt(trimmed.substring(open + 1, trimmed.length() - 1))));
        }
        return hosts;
    }
}
