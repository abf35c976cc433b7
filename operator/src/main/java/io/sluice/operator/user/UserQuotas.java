package io.sluice.operator.user;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

/**
 * A user's client quotas: the spec's as Kafka's quota keys of the entity {@code user=<principal name>}, kept exactly
 * so in the cluster through {@link Admin} (those new or changed set, those no longer in the spec removed).
 */
final class UserQuotas {

    static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    static final String REQUEST_PERCENTAGE = "request_percentage";
    static final String CONTROLLER_MUTATION_RATE = "controller_mutation_rate";

    private final Admin admin;
    private final long timeoutMs;

    UserQuotas(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /**
     * What is wrong with the quotas, each problem naming its field; empty when they can be applied. Kafka takes only
     * quotas above zero; a request percentage above 100 is a share of more than one thread, as in Kafka.
     */
    static List<String> problems(UserSpec.Quotas quotas) {
        List<String> problems = new ArrayList<>();
        if (quotas == null) {
            return problems;
        }
        positive(problems, "producerByteRate", quotas.getProducerByteRate());
        positive(problems, "consumerByteRate", quotas.getConsumerByteRate());
        positive(problems, "requestPercentage", quotas.getRequestPercentage());
        positive(problems, "controllerMutationRate", quotas.getControllerMutationRate());
        return problems;
    }

    private static void positive(List<String> problems, String field, Number value) {
        if (value != null && value.doubleValue() <= 0) {
            problems.add("quotas." + field + " is " + value + " but must be above 0");
        }
    }

    /** The quotas of valid {@code quotas} by Kafka's keys; empty without any. */
    static Map<String, Double> values(UserSpec.Quotas quotas) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (quotas != null) {
            put(values, PRODUCER_BYTE_RATE, quotas.getProducerByteRate());
            put(values, CONSUMER_BYTE_RATE, quotas.getConsumerByteRate());
            put(values, REQUEST_PERCENTAGE, quotas.getRequestPercentage());
            put(values, CONTROLLER_MUTATION_RATE, quotas.getControllerMutationRate());
        }
        return values;
    }

    private static void put(Map<String, Double> values, String key, Number value) {
        if (value != null) {
            values.put(key, value.doubleValue());
        }
    }

    /**
     * The operations that turn {@code existing} into {@code wanted}: a set for each new or changed quota, a removal
     * for each other one.
     */
    static List<ClientQuotaAlteration.Op> changes(Map<String, Double> existing, Map<String, Double> wanted) {
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        wanted.forEach((key, value) -> {
            if (!Objects.equals(existing.get(key), value)) {
                ops.add(new ClientQuotaAlteration.Op(key, value));
            }
        });
        existing.keySet().stream().filter(key -> !wanted.containsKey(key))
                .forEach(key -> ops.add(new ClientQuotaAlteration.Op(key, null)));
        return ops;
    }

    /** Makes the user's quotas exactly {@code wanted}. */
    void sync(String user, Map<String, Double> wanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user));
        List<ClientQuotaAlteration.Op> ops = changes(existing(user, entity, wanted.isEmpty()), wanted);
        if (!ops.isEmpty()) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, ops))).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Removes every quota of the user. */
    void deleteAll(String user) throws ExecutionException, InterruptedException, TimeoutException {
        sync(user, Map.of());
    }

    /**
     * The entity's quotas in the cluster (of the user alone, not of the user with a client id). A cluster that keeps
     * no quotas (the API unsupported) has none for it, which is only good enough when none are {@code wanted}.
     */
    private Map<String, Double> existing(String user, ClientQuotaEntity entity, boolean noneWanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        ClientQuotaFilter filter = ClientQuotaFilter.containsOnly(
                List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, user)));
        try {
            return admin.describeClientQuotas(filter).entities().get(timeoutMs, TimeUnit.MILLISECONDS)
                    .getOrDefault(entity, Map.of());
        } catch (ExecutionException e) {
            if (noneWanted && e.getCause() instanceof UnsupportedVersionException) {
                return Map.of();
            }
            throw e;
        }
    }
}
