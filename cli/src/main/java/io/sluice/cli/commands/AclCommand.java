package io.sluice.cli.commands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice acl}: Kafka's ACLs through the Admin API, with {@code kafka-acls}' option names. */
@Command(name = "acl", mixinStandardHelpOptions = true, description = "Manage ACLs (on a secured cluster: nothing is "
        + "allowed that no ACL allows, but to super users).", subcommands = { AclCommand.Add.class,
                AclCommand.ListAcls.class, AclCommand.Remove.class })
public final class AclCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: add, list or remove");
    }

    /** The resource an ACL is on: one of a topic, a group, a transactional id or the cluster. */
    static final class Resource {
        @Option(names = "--topic", paramLabel = "NAME", description = "A topic (* for every topic).")
        String topic;
        @Option(names = "--group", paramLabel = "NAME", description = "A consumer group (* for every group).")
        String group;
        @Option(names = "--transactional-id", paramLabel = "ID", description = "A transactional id.")
        String transactionalId;
        @Option(names = "--cluster", description = "The cluster (creating topics, ACLs and users, idempotent "
                + "writes).")
        boolean cluster;

        ResourceType type() {
            return topic != null ? ResourceType.TOPIC
                    : group != null ? ResourceType.GROUP
                            : transactionalId != null ? ResourceType.TRANSACTIONAL_ID : ResourceType.CLUSTER;
        }

        String name() {
            return topic != null ? topic
                    : group != null ? group
                            : transactionalId != null ? transactionalId : "kafka-cluster";
        }
    }

    /** What an ACL says: who, from where, may or may not do what, on a literal or prefixed name. */
    static final class Entry {
        @Option(names = "--allow-principal", paramLabel = "PRINCIPAL", description = "Allow this principal "
                + "(User:alice, User:* for everyone); repeatable.")
        List<String> allow = new ArrayList<>();
        @Option(names = "--deny-principal", paramLabel = "PRINCIPAL", description = "Deny this principal; a deny "
                + "wins over any allow; repeatable.")
        List<String> deny = new ArrayList<>();
        @Option(names = "--operation", paramLabel = "OPERATION", description = "Read, Write, Create, Delete, Alter, "
                + "Describe, DescribeConfigs, AlterConfigs, IdempotentWrite or All; repeatable.")
        List<String> operations = new ArrayList<>();
        @Option(names = "--host", paramLabel = "ADDRESS", description = "Only from this address (default: any).")
        String host = "*";
        @Option(names = "--resource-pattern-type", paramLabel = "TYPE", description = "literal (the name itself, "
                + "default) or prefixed (every name starting with it).")
        String patternType = "literal";

        PatternType pattern() {
            PatternType type = PatternType.fromString(patternType.toUpperCase(Locale.ROOT));
            if (type != PatternType.LITERAL && type != PatternType.PREFIXED) {
                throw new IllegalArgumentException("--resource-pattern-type is literal or prefixed, not " + patternType);
            }
            return type;
        }

        List<AclOperation> operations() {
            return operations.stream().map(o -> {
                AclOperation operation = AclOperation.fromString(o.replace("-", "").replace("_", ""));
                if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
                    throw new IllegalArgumentException("unknown operation " + o);
                }
                return operation;
            }).toList();
        }

        /** The ACLs named; refused when they are none. */
        List<AclBinding> bindings(Resource resource, CommandSpec spec) {
            List<AclBinding> bindings = bindings(resource);
            if (bindings.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "name at least one --allow-principal or "
                        + "--deny-principal and one --operation");
            }
            return bindings;
        }

        private List<AclBinding> bindings(Resource resource) {
            ResourcePattern pattern = new ResourcePattern(resource.type(), resource.name(), pattern());
            List<AclBinding> bindings = new ArrayList<>();
            for (AclOperation operation : operations()) {
                allow.forEach(p -> bindings.add(new AclBinding(pattern, new AccessControlEntry(p, host, operation,
                        AclPermissionType.ALLOW))));
                deny.forEach(p -> bindings.add(new AclBinding(pattern, new AccessControlEntry(p, host, operation,
                        AclPermissionType.DENY))));
            }
            return bindings;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = { "Add ACLs: each principal, each "
            + "operation, on the resource.",
            "sluice acl add --allow-principal User:alice --operation Read --operation Describe --topic orders" })
    static final class Add implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Resource resource;
        @Mixin
        Entry entry;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<AclBinding> bindings = entry.bindings(resource, spec);
            try (Admin admin = Admin.create(client.properties())) {
                admin.createAcls(bindings).all().get();
            }
            print(spec, bindings, "Added");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List ACLs, of a resource or all.")
    static final class ListAcls implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @ArgGroup(exclusive = true)
        Resource resource;
        @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "Only this principal's.")
        String principal;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            AclBindingFilter filter = new AclBindingFilter(resource == null ? ResourcePatternFilter.ANY
                    : new ResourcePatternFilter(resource.type(), resource.name(), PatternType.ANY),
                    new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
            try (Admin admin = Admin.create(client.properties())) {
                print(spec, admin.describeAcls(filter).values().get(), null);
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove the ACLs given as to add.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Resource resource;
        @Mixin
        Entry entry;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<AclBindingFilter> filters = entry.bindings(resource, spec).stream().map(AclBinding::toFilter)
                    .toList();
            List<AclBinding> removed = new ArrayList<>();
            try (Admin admin = Admin.create(client.properties())) {
                removed.addAll(admin.deleteAcls(filters).all().get());
            }
            print(spec, removed, "Removed");
            return 0;
        }
    }

    private static void print(CommandSpec spec, Collection<AclBinding> bindings, String verb) {
        if (verb != null) {
            spec.commandLine().getOut().printf("%s %d ACL%s%n", verb, bindings.size(), bindings.size() == 1 ? "" : "s");
        }
        Table table = new Table("PRINCIPAL", "HOST", "PERMISSION", "OPERATION", "RESOURCE", "NAME", "PATTERN");
        bindings.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).forEach(b -> table.row(
                b.entry().principal(), b.entry().host(), b.entry().permissionType(), b.entry().operation(),
                b.pattern().resourceType(), b.pattern().name(), b.pattern().patternType()));
        table.print(spec.commandLine().getOut());
    }
}
