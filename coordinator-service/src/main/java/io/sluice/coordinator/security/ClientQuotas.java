package io.sluice.coordinator.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.jboss.logging.Logger;

import io.sluice.protocol.contract.SecurityFeed;

/**
 * Kafka's client quotas (AlterClientQuotas, DescribeClientQuotas: {@code kafka-configs.sh --entity-type users|clients}):
 * per user, client id or both, each part a name or its default, the quotas by Kafka's keys. Kept with the credentials
 * and ACLs, so that gateways get them in the same feed and throttle clients by them.
 */
public final class ClientQuotas {

    private static final Logger LOG = Logger.getLogger(ClientQuotas.class);

    static final String PREFIX = "quota/";
    /** Kafka's quota keys for users and client ids; the byte rates are whole bytes per second. */
    public static final Set<String> KEYS = Set.of("producer_byte_rate", "consumer_byte_rate", "request_percentage",
            "controller_mutation_rate");
    private static final Set<String> WHOLE = Set.of("producer_byte_rate", "consumer_byte_rate");
    static final int MAX_ENTRIES_PER_REQUEST = 1_000;
    static final int MAX_ENTITIES = 100_000;

    /**
     * A quota entity: {@code user} and {@code clientId} null when the entity has no such part,
     * {@link SecurityFeed.Quota#DEFAULT} for that part's default.
     */
    public record Entity(String user, String clientId) {

        static final Comparator<Entity> ORDER = Comparator
                .comparing(Entity::user, Comparator.nullsFirst(Comparator.<String> naturalOrder()))
                .thenComparing(Entity::clientId, Comparator.nullsFirst(Comparator.<String> naturalOrder()));

        String part(String entityType) {
            return switch (entityType) {
                case ClientQuotaEntity.USER -> user;
                case ClientQuotaEntity.CLIENT_ID -> clientId;
                default -> null;
            };
        }

        int parts() {
            return (user == null ? 0 : 1) + (clientId == null ? 0 : 1);
        }

        String storeKey() {
            return PREFIX + encode(user) + "/" + encode(clientId);
        }

        private static String encode(String part) {
            return part == null ? "-" : "=" + URLEncoder.encode(part, StandardCharsets.UTF_8);
        }
    }

    /** One entity's quotas as stored. */
    public record QuotaRecord(String user, String clientId, Map<String, Double> values) {

        Entity entity() {
            return new Entity(user, clientId);
        }
    }

    private final SecurityState state;

    ClientQuotas(SecurityState state) {
        this.state = state;
    }

    // ---- AlterClientQuotas

    /**
     * Sets and removes quotas entity by entity, each answered on its own: an entity or a quota Kafka would refuse gets
     * INVALID_REQUEST and changes nothing; an entity left without quotas is removed.
     */
    public CompletableFuture<AlterClientQuotasResponseData> alter(AlterClientQuotasRequestData request) {
        return state.change(() -> alterNow(request));
    }

    private AlterClientQuotasResponseData alterNow(AlterClientQuotasRequestData request) {
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
        boolean tooMany = request.entries().size() > MAX_ENTRIES_PER_REQUEST;
        SecurityState.Snapshot was = state.snapshot();
        Map<Entity, Map<String, Double>> next = new HashMap<>(was.quotas());
        Map<String, Object> puts = new LinkedHashMap<>();
        List<String> removals = new ArrayList<>();
        for (EntryData entry : request.entries()) {
            AlterClientQuotasResponseData.EntryData answer = new AlterClientQuotasResponseData.EntryData();
            entry.entity().forEach(e -> answer.entity().add(new AlterClientQuotasResponseData.EntityData()
                    .setEntityType(e.entityType()).setEntityName(e.entityName())));
            response.entries().add(answer);
            if (tooMany) {
                refuse(answer, Errors.POLICY_VIOLATION,
                        "A request may alter at most " + MAX_ENTRIES_PER_REQUEST + " quota entities");
                continue;
            }
            Optional<Entity> entity = entity(entry);
            Optional<String> invalid = entity.isEmpty() ? Optional.of(entityProblem(entry)) : check(entry.ops());
            if (invalid.isPresent()) {
                refuse(answer, Errors.INVALID_REQUEST, invalid.get());
                continue;
            }
            Map<String, Double> values = new HashMap<>(next.getOrDefault(entity.get(), Map.of()));
            for (OpData op : entry.ops()) {
                if (op.remove()) {
                    values.remove(op.key());
                } else {
                    values.put(op.key(), op.value());
                }
            }
            if (!next.containsKey(entity.get()) && !values.isEmpty() && next.size() >= MAX_ENTITIES) {
                refuse(answer, Errors.POLICY_VIOLATION, "The cluster keeps at most " + MAX_ENTITIES
                        + " quota entities");
                continue;
            }
            if (request.validateOnly()) {
                continue;
            }
            String key = entity.get().storeKey();
            if (values.isEmpty()) {
                if (next.remove(entity.get()) != null) {
                    removals.add(key);
                    puts.remove(key);
                }
            } else {
                next.put(entity.get(), Map.copyOf(values));
                puts.put(key, new QuotaRecord(entity.get().user(), entity.get().clientId(), Map.copyOf(values)));
                removals.remove(key);
            }
        }
        if (!puts.isEmpty() || !removals.isEmpty()) {
            long version = state.write(was.withQuotas(next), puts, removals);
            LOG.infof("client quotas of %d entities set, of %d removed (version %d)", puts.size(), removals.size(),
                    version);
        }
        return response;
    }

    private static void refuse(AlterClientQuotasResponseData.EntryData answer, Errors error, String message) {
        answer.setErrorCode(error.code()).setErrorMessage(message);
    }

    /** The entity of an entry: a user, a client id or both, each at most once; empty when it is none of these. */
    private static Optional<Entity> entity(EntryData entry) {
        Map<String, String> parts = new HashMap<>();
        for (AlterClientQuotasRequestData.EntityData part : entry.entity()) {
            if (!part.entityType().equals(ClientQuotaEntity.USER)
                    && !part.entityType().equals(ClientQuotaEntity.CLIENT_ID)) {
                return Optional.empty();
            }
            if (parts.containsKey(part.entityType()) || SecurityFeed.Quota.DEFAULT.equals(part.entityName())) {
                return Optional.empty();
            }
            parts.put(part.entityType(), name(part.entityName()));
        }
        if (parts.isEmpty() || Objects.equals(parts.get(ClientQuotaEntity.USER), "")) {
            return Optional.empty();
        }
        return Optional.of(new Entity(parts.get(ClientQuotaEntity.USER), parts.get(ClientQuotaEntity.CLIENT_ID)));
    }

    private static String entityProblem(EntryData entry) {
        Set<String> seen = new HashSet<>();
        for (AlterClientQuotasRequestData.EntityData part : entry.entity()) {
            if (part.entityType().equals(ClientQuotaEntity.IP)) {
                return "ip quotas (connection_creation_rate) are not supported";
            }
            if (!part.entityType().equals(ClientQuotaEntity.USER)
                    && !part.entityType().equals(ClientQuotaEntity.CLIENT_ID)) {
                return "Unknown entity type " + part.entityType();
            }
            if (!seen.add(part.entityType())) {
                return "Entity type " + part.entityType() + " given twice";
            }
            if (SecurityFeed.Quota.DEFAULT.equals(part.entityName())) {
                return SecurityFeed.Quota.DEFAULT + " is how the default is kept; send no name for the default";
            }
        }
        return seen.isEmpty() ? "An entity needs a user, a client id or both" : "A user's name may not be empty";
    }

    /** A name as sent (null: the default) as kept. */
    private static String name(String sent) {
        return sent == null ? SecurityFeed.Quota.DEFAULT : sent;
    }

    private static Optional<String> check(List<OpData> ops) {
        Set<String> keys = new HashSet<>();
        for (OpData op : ops) {
            if (!KEYS.contains(op.key())) {
                return Optional.of("Unknown quota " + op.key() + "; users and client ids have " + KEYS);
            }
            if (!keys.add(op.key())) {
                return Optional.of("Quota " + op.key() + " given twice");
            }
            if (!op.remove() && (!Double.isFinite(op.value()) || op.value() <= 0)) {
                return Optional.of("Quota " + op.key() + " must be positive, not " + op.value());
            }
            if (!op.remove() && WHOLE.contains(op.key()) && op.value() != Math.rint(op.value())) {
                return Optional.of("Quota " + op.key() + " is in whole bytes per second, not " + op.value());
            }
        }
        return Optional.empty();
    }

    // ---- DescribeClientQuotas

    /** The entities that match every component (and, when strict, have no other part), with their quotas. */
    public DescribeClientQuotasResponseData describe(DescribeClientQuotasRequestData request) {
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData();
        Set<String> types = new HashSet<>();
        for (ComponentData component : request.components()) {
            Optional<String> invalid = check(component, types);
            if (invalid.isPresent()) {
                return response.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid.get())
                        .setEntries(null);
            }
        }
        state.snapshot().quotas().entrySet().stream()
                .filter(e -> matches(e.getKey(), request))
                .sorted(Map.Entry.comparingByKey(Entity.ORDER))
                .forEach(e -> {
                    DescribeClientQuotasResponseData.EntryData entry = new DescribeClientQuotasResponseData.EntryData();
                    addPart(entry, ClientQuotaEntity.USER, e.getKey().user());
                    addPart(entry, ClientQuotaEntity.CLIENT_ID, e.getKey().clientId());
                    e.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .forEach(v -> entry.values().add(new DescribeClientQuotasResponseData.ValueData()
                                    .setKey(v.getKey()).setValue(v.getValue())));
                    response.entries().add(entry);
                });
        return response;
    }

    private static Optional<String> check(ComponentData component, Set<String> types) {
        String type = component.entityType();
        if (!type.equals(ClientQuotaEntity.USER) && !type.equals(ClientQuotaEntity.CLIENT_ID)
                && !type.equals(ClientQuotaEntity.IP)) {
            return Optional.of("Unknown entity type " + type);
        }
        if (!types.add(type)) {
            return Optional.of("Entity type " + type + " filtered twice");
        }
        if (component.matchType() == DescribeClientQuotasRequest.MATCH_TYPE_EXACT && component.match() == null) {
            return Optional.of("An exact match on " + type + " needs a name");
        }
        if (component.matchType() < 0 || component.matchType() > 2) {
            return Optional.of("Unknown match type " + component.matchType());
        }
        return Optional.empty();
    }

    private static boolean matches(Entity entity, DescribeClientQuotasRequestData request) {
        if (request.strict() && entity.parts() != request.components().size()) {
            return false;
        }
        for (ComponentData component : request.components()) {
            String part = entity.part(component.entityType());
            boolean match = part != null && switch (component.matchType()) {
                case DescribeClientQuotasRequest.MATCH_TYPE_EXACT -> part.equals(component.match())
                        && !part.equals(SecurityFeed.Quota.DEFAULT);
                case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> part.equals(SecurityFeed.Quota.DEFAULT);
                default -> !part.equals(SecurityFeed.Quota.DEFAULT);
            };
            if (!match) {
                return false;
            }
        }
        return true;
    }

    private static void addPart(DescribeClientQuotasResponseData.EntryData entry, String type, String name) {
        if (name != null) {
            entry.entity().add(new DescribeClientQuotasResponseData.EntityData().setEntityType(type)
                    .setEntityName(name.equals(SecurityFeed.Quota.DEFAULT) ? null : name));
        }
    }
}
