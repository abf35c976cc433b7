package io.sluice.coordinator.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsMatchingAcl;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData.AclDescription;
import org.apache.kafka.common.message.DescribeAclsResponseData.DescribeAclsResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.jboss.logging.Logger;

/**
 * ACLs as Kafka's CreateAcls, DescribeAcls and DeleteAcls keep them, part of the {@link SecurityState}, with the checks
 * and errors of Kafka's broker and controller: each invalid binding or filter is refused on its own (INVALID_REQUEST
 * with Kafka's message), creating a binding that exists succeeds without a change, and a deletion answers every
 * binding each filter matched. Changes run on the security state's thread and are answered once every replica holds
 * them.
 */
public final class Acls {

    private static final Logger LOG = Logger.getLogger(Acls.class);

    /** Where ACLs are kept in the state store: {@code acl/<id>}, one entry each. */
    static final String PREFIX = "acl/";
    /** The most creations, and the most filters, one request may carry; more is refused as a whole. */
    static final int MAX_PER_REQUEST = 1_000;
    /** Longer principals and resource names are refused: each is kept and sent to every gateway. */
    static final int MAX_NAME_LENGTH = 1_024;

    /** The resources Sluice has; Kafka's DELEGATION_TOKEN and USER guard APIs it does not serve. */
    private static final Set<ResourceType> RESOURCE_TYPES = EnumSet.of(ResourceType.TOPIC, ResourceType.GROUP,
            ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID);
    /** The host of a binding for clients on any address. */
    private static final String ANY_HOST = "*";
    private static final Pattern IPV4 = Pattern
            .compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    /** The order of DescribeAcls answers and of the feed: by resource, then principal, host, operation, permission. */
    static final Comparator<AclBinding> ORDER = Comparator
            .comparing((AclBinding b) -> b.pattern().resourceType())
            .thenComparing(b -> b.pattern().name())
            .thenComparing(b -> b.pattern().patternType())
            .thenComparing(b -> b.entry().principal())
            .thenComparing(b -> b.entry().host())
            .thenComparing(b -> b.entry().operation())
            .thenComparing(b -> b.entry().permissionType());

    private final SecurityState state;
    private final AclLimits limits;

    Acls(SecurityState state, AclLimits limits) {
        this.state = state;
        this.limits = limits;
    }

    // ---- CreateAcls

    /**
     * Creates each valid binding that does not exist yet; each creation is answered in the request's order, a binding
     * that exists (or was created earlier in the request) with success and no change.
     */
    public CompletableFuture<CreateAclsResponseData> create(CreateAclsRequestData request) {
        return state.change(() -> createNow(request.creations()));
    }

    private CreateAclsResponseData createNow(List<AclCreation> creations) {
        CreateAclsResponseData response = new CreateAclsResponseData();
        if (creations.size() > MAX_PER_REQUEST) {
            String message = "A request may create at most " + MAX_PER_REQUEST + " ACLs";
            creations.forEach(c -> response.results().add(refused(Errors.POLICY_VIOLATION, message)));
            return response;
        }
        SecurityState.Snapshot was = state.snapshot();
        Map<AclBinding, String> next = new HashMap<>(was.acls());
        Set<String> ids = new HashSet<>(was.acls().values());
        Map<String, Object> puts = new LinkedHashMap<>();
        for (AclCreation creation : creations) {
            Optional<String> invalid = check(creation);
            if (invalid.isPresent()) {
                response.results().add(refused(Errors.INVALID_REQUEST, invalid.get()));
                continue;
            }
            AclBinding binding = binding(creation);
            if (!next.containsKey(binding)) {
                if (next.size() >= limits.maxAcls()) {
                    response.results().add(refused(Errors.POLICY_VIOLATION,
                            "The cluster keeps at most " + limits.maxAcls() + " ACLs"));
                    continue;
                }
                String id = newId(ids);
                next.put(binding, id);
                puts.put(PREFIX + id, AclRecord.of(id, binding));
            }
            response.results().add(new AclCreationResult());
        }
        if (!puts.isEmpty()) {
            long version = state.write(was.withAcls(next), puts, List.of());
            LOG.infof("%d ACLs created (version %d)", puts.size(), version);
        }
        return response;
    }

    /** A random id no ACL has, taken. */
    private static String newId(Set<String> taken) {
        String id;
        do {
            id = Uuid.randomUuid().toString();
        } while (!taken.add(id));
        return id;
    }

    /**
     * Why a creation is refused, in the order Kafka checks: the broker's checks of the cluster's name and an empty
     * name, the controller's of each enum and the principal, then Sluice's own (resource types it has, the host,
     * lengths).
     */
    private static Optional<String> check(AclCreation creation) {
        ResourceType resourceType = ResourceType.fromCode(creation.resourceType());
        PatternType patternType = PatternType.fromCode(creation.resourcePatternType());
        AclOperation operation = AclOperation.fromCode(creation.operation());
        AclPermissionType permission = AclPermissionType.fromCode(creation.permissionType());
        String name = creation.resourceName();
        String why = null;
        if (resourceType == ResourceType.CLUSTER && !Resource.CLUSTER_NAME.equals(name)) {
            why = "The only valid name for the CLUSTER resource is " + Resource.CLUSTER_NAME;
        } else if (name.isEmpty()) {
            why = "Invalid empty resource name";
        } else if (resourceType == ResourceType.UNKNOWN || resourceType == ResourceType.ANY) {
            why = "Invalid resourceType " + resourceType;
        } else if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
            why = "Invalid patternType " + patternType;
        } else if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
            why = "Invalid operation " + operation;
        } else if (permission != AclPermissionType.ALLOW && permission != AclPermissionType.DENY) {
            why = "Invalid permissionType " + permission;
        } else if (!principal(creation.principal())) {
            why = "Could not parse principal from `" + creation.principal() + "` (no colon is present separating the"
                    + " principal type from the principal name)";
        } else if (!RESOURCE_TYPES.contains(resourceType)) {
            why = "Sluice has no " + resourceType + " resources; ACLs are for TOPIC, GROUP, CLUSTER and"
                    + " TRANSACTIONAL_ID";
        } else if (!host(creation.host())) {
            why = "Invalid host `" + creation.host() + "`: expected * or an IP address";
        } else if (name.length() > MAX_NAME_LENGTH || creation.principal().length() > MAX_NAME_LENGTH) {
            why = "Resource names and principals are at most " + MAX_NAME_LENGTH + " characters";
        }
        return Optional.ofNullable(why);
    }

    private static boolean principal(String principal) {
        try {
            SecurityUtils.parseKafkaPrincipal(principal);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Kafka matches a binding's host against the client's address as text, so only {@code *} or an address can. */
    private static boolean host(String host) {
        if (host.equals(ANY_HOST) || IPV4.matcher(host).matches()) {
            return true;
        }
        // an IPv6 literal is parsed without a name lookup: it has a colon, which no host name has
        if (!host.contains(":") || !IPV6.matcher(host).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static AclBinding binding(AclCreation creation) {
        return new AclBinding(
                new ResourcePattern(ResourceType.fromCode(creation.resourceType()), creation.resourceName(),
                        PatternType.fromCode(creation.resourcePatternType())),
                new AccessControlEntry(creation.principal(), creation.host(),
                        AclOperation.fromCode(creation.operation()),
                        AclPermissionType.fromCode(creation.permissionType())));
    }

    private static AclCreationResult refused(Errors error, String message) {
        return new AclCreationResult().setErrorCode(error.code()).setErrorMessage(message);
    }

    // ---- DescribeAcls

    /**
     * Every binding the filter matches ({@link AclBindingFilter#matches}: MATCH also finds the wildcard and prefixed
     * bindings that cover a name), grouped by resource pattern; a filter with an unknown element is INVALID_REQUEST.
     */
    public DescribeAclsResponseData describe(DescribeAclsRequestData request) {
        AclBindingFilter filter = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(request.resourceTypeFilter()),
                        request.resourceNameFilter(), PatternType.fromCode(request.patternTypeFilter())),
                new AccessControlEntryFilter(request.principalFilter(), request.hostFilter(),
                        AclOperation.fromCode(request.operation()),
                        AclPermissionType.fromCode(request.permissionType())));
        DescribeAclsResponseData response = new DescribeAclsResponseData();
        Optional<String> invalid = check(filter);
        if (invalid.isPresent()) {
            return response.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid.get());
        }
        Map<ResourcePattern, DescribeAclsResource> resources = new LinkedHashMap<>();
        for (AclBinding binding : matching(state.snapshot().acls().keySet(), filter)) {
            ResourcePattern pattern = binding.pattern();
            resources.computeIfAbsent(pattern, p -> new DescribeAclsResource().setResourceType(p.resourceType().code())
                    .setResourceName(p.name()).setPatternType(p.patternType().code()))
                    .acls().add(new AclDescription().setPrincipal(binding.entry().principal())
                            .setHost(binding.entry().host()).setOperation(binding.entry().operation().code())
                            .setPermissionType(binding.entry().permissionType().code()));
        }
        return response.setResources(new ArrayList<>(resources.values()));
    }

    /** Kafka's controller's checks of a filter (its request classes refuse the same when they parse it). */
    private static Optional<String> check(AclBindingFilter filter) {
        if (filter.patternFilter().isUnknown()) {
            return Optional.of("Unknown patternFilter.");
        }
        if (filter.entryFilter().isUnknown()) {
            return Optional.of("Unknown entryFilter.");
        }
        return Optional.empty();
    }

    private static List<AclBinding> matching(Set<AclBinding> acls, AclBindingFilter filter) {
        return acls.stream().filter(filter::matches).sorted(ORDER).toList();
    }

    // ---- DeleteAcls

    /**
     * Deletes every binding each filter matches in the ACLs as they were before the request, answering each filter
     * with its matches (a binding two filters match is in both answers); an invalid filter is INVALID_REQUEST.
     */
    public CompletableFuture<DeleteAclsResponseData> delete(DeleteAclsRequestData request) {
        return state.change(() -> deleteNow(request.filters()));
    }

    private DeleteAclsResponseData deleteNow(List<DeleteAclsFilter> filters) {
        DeleteAclsResponseData response = new DeleteAclsResponseData();
        if (filters.size() > MAX_PER_REQUEST) {
            String message = "A request may carry at most " + MAX_PER_REQUEST + " filters";
            filters.forEach(f -> response.filterResults().add(new DeleteAclsFilterResult()
                    .setErrorCode(Errors.POLICY_VIOLATION.code()).setErrorMessage(message)));
            return response;
        }
        SecurityState.Snapshot was = state.snapshot();
        Set<AclBinding> deleting = new LinkedHashSet<>();
        for (DeleteAclsFilter requested : filters) {
            AclBindingFilter filter = filter(requested);
            DeleteAclsFilterResult result = new DeleteAclsFilterResult();
            response.filterResults().add(result);
            Optional<String> invalid = check(filter);
            if (invalid.isPresent()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid.get());
                continue;
            }
            List<AclBinding> matches = matching(was.acls().keySet(), filter);
            long more = matches.stream().filter(binding -> !deleting.contains(binding)).count();
            if (deleting.size() + more > limits.maxDeletions()) {
                result.setErrorCode(Errors.POLICY_VIOLATION.code()).setErrorMessage("A request may delete at most "
                        + limits.maxDeletions() + " ACLs; this filter matches " + matches.size());
                continue;
            }
            deleting.addAll(matches);
            matches.forEach(binding -> result.matchingAcls().add(matchingAcl(binding)));
        }
        if (!deleting.isEmpty()) {
            Map<AclBinding, String> next = new HashMap<>(was.acls());
            List<String> removals = new ArrayList<>();
            deleting.forEach(binding -> removals.add(PREFIX + next.remove(binding)));
            long version = state.write(was.withAcls(next), Map.of(), removals);
            LOG.infof("%d ACLs deleted (version %d)", removals.size(), version);
        }
        return response;
    }

    private static AclBindingFilter filter(DeleteAclsFilter filter) {
        return new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(filter.resourceTypeFilter()),
                        filter.resourceNameFilter(), PatternType.fromCode(filter.patternTypeFilter())),
                new AccessControlEntryFilter(filter.principalFilter(), filter.hostFilter(),
                        AclOperation.fromCode(filter.operation()),
                        AclPermissionType.fromCode(filter.permissionType())));
    }

    private static DeleteAclsMatchingAcl matchingAcl(AclBinding binding) {
        return new DeleteAclsMatchingAcl().setResourceType(binding.pattern().resourceType().code())
                .setResourceName(binding.pattern().name()).setPatternType(binding.pattern().patternType().code())
                .setPrincipal(binding.entry().principal()).setHost(binding.entry().host())
                .setOperation(binding.entry().operation().code())
                .setPermissionType(binding.entry().permissionType().code());
    }
}
