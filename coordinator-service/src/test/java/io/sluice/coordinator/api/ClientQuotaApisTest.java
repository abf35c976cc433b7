package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.security.AclLimits;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.protocol.contract.SecurityFeed;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * AlterClientQuotas and DescribeClientQuotas on the coordinator's real listener, with Kafka's entities (a user, a
 * client id or both, each a name or the default), its match types and checks, kept across a restart and handed to
 * gateways in the feed.
 */
class ClientQuotaApisTest {

    private static StateStore store;
    private static Vertx vertx;

    private ListeningCoordinator coordinator;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("client-quota-apis-test");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopStore() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        store.close();
    }

    @BeforeEach
    void startCoordinator() {
        coordinator = new ListeningCoordinator(store, vertx, 50_000);
    }

    @AfterEach
    void stopCoordinator() {
        coordinator.close();
    }

    @Test
    void quotasAreSetDescribedByMatchRemovedAndKeptAcrossARestart() {
        assertThat(errors(alter(false, entry(set("producer_byte_rate", 1024), "user", "alice"),
                entry(set("consumer_byte_rate", 2048), "user", "alice", "client-id", null),
                entry(set("request_percentage", 50), "user", null),
                entry(set("producer_byte_rate", 4096), "client-id", "etl")))).containsOnly(Errors.NONE);

        assertThat(describe(false, exact("user", "alice"))).containsExactly("user=alice {producer_byte_rate=1024.0}",
                "user=alice,client-id=<default> {consumer_byte_rate=2048.0}");
        assertThat(describe(true, exact("user", "alice"))).containsExactly("user=alice {producer_byte_rate=1024.0}");
        assertThat(describe(false, byDefault("user"))).containsExactly("user=<default> {request_percentage=50.0}");
        assertThat(describe(false, specified("client-id"))).containsExactly("client-id=etl {producer_byte_rate=4096.0}");
        assertThat(describe(false)).hasSize(4);

        try (SecurityState restarted = new SecurityState(store, new ObjectMapper(), new AclLimits(10, 10))) {
            restarted.start();
            assertThat(restarted.feed().quotas()).hasSize(4).contains(
                    new SecurityFeed.Quota("alice", SecurityFeed.Quota.DEFAULT, Map.of("consumer_byte_rate", 2048.0)),
                    new SecurityFeed.Quota(null, "etl", Map.of("producer_byte_rate", 4096.0)));
        }

        assertThat(errors(alter(false, entry(remove("producer_byte_rate"), "user", "alice")))).containsOnly(Errors.NONE);
        assertThat(describe(true, exact("user", "alice"))).isEmpty();
    }

    @Test
    void badEntitiesAndQuotasAreRefusedEachOnItsOwnAndValidateOnlyChangesNothing() {
        AlterClientQuotasResponseData answer = alter(false,
                entry(set("producer_byte_rate", 10.5), "user", "alice"),
                entry(set("producer_byte_rate", -1), "user", "bob"),
                entry(set("connection_creation_rate", 5), "user", "carol"),
                entry(set("producer_byte_rate", 100), "ip", "10.0.0.1"),
                entry(set("producer_byte_rate", 100), "user", "dave", "user", "erin"),
                entry(set("producer_byte_rate", 100)),
                entry(set("producer_byte_rate", 100), "user", "frank"));

        assertThat(errors(answer)).containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                Errors.NONE);
        assertThat(answer.entries().get(3).errorMessage()).contains("ip");
        assertThat(errors(alter(true, entry(set("producer_byte_rate", 100), "user", "gina"))))
                .containsOnly(Errors.NONE);
        assertThat(describe(false)).containsExactly("user=frank {producer_byte_rate=100.0}");

        DescribeClientQuotasResponseData twice = coordinator.send(new DescribeClientQuotasRequestData()
                .setComponents(List.of(exact("user", "a"), exact("user", "b"))));
        assertThat(twice.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(twice.entries()).isNull();
    }

    private AlterClientQuotasResponseData alter(boolean validateOnly, EntryData... entries) {
        return coordinator.send(new AlterClientQuotasRequestData().setEntries(Arrays.asList(entries))
                .setValidateOnly(validateOnly), (short) 1);
    }

    private static List<Errors> errors(AlterClientQuotasResponseData answer) {
        return answer.entries().stream().map(e -> Errors.forCode(e.errorCode())).toList();
    }

    /** An entry: its op, then entity type and name pairs (a null name: the default). */
    private static EntryData entry(OpData op, String... parts) {
        List<EntityData> entity = new ArrayList<>();
        for (int i = 0; i < parts.length; i += 2) {
            entity.add(new EntityData().setEntityType(parts[i]).setEntityName(parts[i + 1]));
        }
        return new EntryData().setEntity(entity).setOps(List.of(op));
    }

    private static OpData set(String key, double value) {
        return new OpData().setKey(key).setValue(value);
    }

    private static OpData remove(String key) {
        return new OpData().setKey(key).setRemove(true);
    }

    private static ComponentData exact(String type, String name) {
        return new ComponentData().setEntityType(type).setMatchType(DescribeClientQuotasRequest.MATCH_TYPE_EXACT)
                .setMatch(name);
    }

    private static ComponentData byDefault(String type) {
        return new ComponentData().setEntityType(type).setMatchType(DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT);
    }

    private static ComponentData specified(String type) {
        return new ComponentData().setEntityType(type)
                .setMatchType(DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED);
    }

    /** Each entity described as {@code type=name,... {key=value}}, {@code <default>} for a default. */
    private List<String> describe(boolean strict, ComponentData... components) {
        DescribeClientQuotasResponseData answer = coordinator.send(new DescribeClientQuotasRequestData()
                .setComponents(Arrays.asList(components)).setStrict(strict), (short) 1);
        assertThat(answer.errorCode()).isZero();
        return answer.entries().stream().map(e -> String.join(",", e.entity().stream()
                .map(p -> p.entityType() + "=" + (p.entityName() == null ? "<default>" : p.entityName())).toList())
                + " " + new TreeMap<>(e.values().stream().collect(Collectors.toMap(v -> v.key(), v -> v.value()))))
                .toList();
    }
}
