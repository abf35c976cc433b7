package io.sluice.gateway.quota;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sluice.protocol.contract.SecurityFeed;

/**
 * The client quotas of the security feed, looked up as Kafka's brokers look them up: for a user and a client id, the
 * first of these entities that sets the quota wins — user and client id, user and default client, user, default user
 * and client id, default user and default client, default user, client id, default client.
 */
public final class ClientQuotas {

    public static final ClientQuotas NONE = new ClientQuotas(List.of());
    public static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    public static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    public static final String CONTROLLER_MUTATION_RATE = "controller_mutation_rate";
    public static final String REQUEST_PERCENTAGE = "request_percentage";

    private static final String DEFAULT = SecurityFeed.Quota.DEFAULT;

    /** An entity as the feed names it: a part is null when absent, {@link SecurityFeed.Quota#DEFAULT} for its default. */
    private record Entity(String user, String clientId) {
    }

    /**
     * The quota that applies, and who shares it: the client's own user and client id for the parts the winning entity
     * has (a default applies to each user or client id on its own, as in Kafka), null for the parts it lacks.
     */
    public record Limit(String user, String clientId, double rate) {
    }

    private final Map<Entity, Map<String, Double>> byEntity = new HashMap<>();

    public ClientQuotas(List<SecurityFeed.Quota> quotas) {
        quotas.forEach(q -> byEntity.put(new Entity(q.user(), q.clientId()), q.values()));
    }

    public boolean isEmpty() {
        return byEntity.isEmpty();
    }

    /** The {@code key} quota ({@link #PRODUCER_BYTE_RATE}, …) of a client; empty when none applies. */
    public Optional<Limit> limit(String key, String user, String clientId) {
        if (byEntity.isEmpty()) {
            return Optional.empty();
        }
        List<Entity> precedence = List.of(new Entity(user, clientId), new Entity(user, DEFAULT),
                new Entity(user, null), new Entity(DEFAULT, clientId), new Entity(DEFAULT, DEFAULT),
                new Entity(DEFAULT, null), new Entity(null, clientId), new Entity(null, DEFAULT));
        for (Entity entity : precedence) {
            Double rate = byEntity.getOrDefault(entity, Map.of()).get(key);
            if (rate != null) {
                return Optional.of(new Limit(entity.user() == null ? null : user,
                        entity.clientId() == null ? null : clientId, rate));
            }
        }
        return Optional.empty();
    }
}
