package io.sluice.replication;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

import org.infinispan.remoting.transport.jgroups.FileJGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;
import org.jgroups.JChannel;

import io.sluice.protocol.contract.JGroupsSettings;

/**
 * The JGroups stack of Sluice's embedded Infinispan clusters, {@code jgroups-sluice.xml}, with this node's address,
 * port and discovery filled in: TCPPING over the static hosts, or DNS_PING when a DNS query is set. Infinispan takes
 * the result as the transport property {@code JGroupsTransport.CHANNEL_CONFIGURATOR} (a transport object handed to its
 * builder is not used).
 */
final class JGroupsStacks {

    static final String STACK = "jgroups-sluice.xml";
    private static final String DISCOVERY = "<!--DISCOVERY-->";
    private static final String ENCRYPTION = "<!--ENCRYPTION-->";
    /** How long a starting node looks for the others (and waits for a JOIN to be answered). */
    static final String JOIN_TIMEOUT = "2s";
    /**
     * The same for a node whose only initial host is itself (one coordinator replica, one broker): nobody can answer,
     * so waiting the full 2 s would only delay every start.
     */
    static final String ALONE_JOIN_TIMEOUT = "100ms";
    private static final String STATIC_DISCOVERY = """
            <TCPPING initial_hosts="${sluice.jgroups.initial_hosts}" port_range="0" num_discovery_runs="3"/>""";
    private static final String DNS_DISCOVERY = """
            <dns.DNS_PING dns_query="${sluice.jgroups.dns_query}" dns_record_type="A" num_discovery_runs="3"/>""";

    private JGroupsStacks() {
    }

    /** @param address the node's own address bits ({@link NodeAddress}) */
    static JGroupsChannelConfigurator configurator(String name, NodeSettings node, UUID address) {
        Properties values = new Properties();
        values.setProperty("sluice.jgroups.bind_addr", node.bindAddress());
        values.setProperty("sluice.jgroups.bind_port", Integer.toString(node.bindPort()));
        values.setProperty("sluice.jgroups.join_timeout", node.onlyInitialHostIsItself() ? ALONE_JOIN_TIMEOUT : JOIN_TIMEOUT);
        values.setProperty("sluice.jgroups.failure_detection_offset",
                Integer.toString(JGroupsSettings.FAILURE_DETECTION_OFFSET));
        node.dnsQuery().ifPresentOrElse(query -> values.setProperty("sluice.jgroups.dns_query", query),
                () -> values.setProperty("sluice.jgroups.initial_hosts", node.initialHosts()));
        node.member().ifPresent(member -> values.setProperty("sluice.jgroups.member_key",
                Base64.getEncoder().encodeToString(member.jgroupsKey().getEncoded())));
        String stack = stackXml()
                .replace(DISCOVERY, node.dnsQuery().isPresent() ? DNS_DISCOVERY : STATIC_DISCOVERY)
                .replace(ENCRYPTION, node.member().isPresent() ? MemberEncryption.XML : "");
        try {
            return new FileJGroupsChannelConfigurator(name, STACK,
                    new ByteArrayInputStream(stack.getBytes(StandardCharsets.UTF_8)), values) {
                @Override
                public JChannel createChannel(String channelName) throws Exception {
                    return amendChannel(new NodeAddress.Channel(this, address));
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse JGroups stack " + STACK, e);
        }
    }

    private static String stackXml() {
        try (InputStream in = JGroupsStacks.class.getClassLoader().getResourceAsStream(STACK)) {
            if (in == null) {
                throw new IllegalStateException("JGroups stack " + STACK + " is not on the class path");
            }
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!xml.contains(DISCOVERY) || !xml.contains(ENCRYPTION)) {
                throw new IllegalStateException(STACK + " has no place for the discovery or encryption protocol");
            }
            return xml;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JGroups stack " + STACK, e);
        }
    }
}
