package io.sluice.gateway.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Requests Kafka's brokers authorize resource by resource: the topics of a CreateTopics, DeleteTopics or
 * CreatePartitions, the resources of a DescribeConfigs or AlterConfigs, the groups of a DescribeGroups or
 * DeleteGroups, the transactional ids of a DescribeTransactions. The resources the principal may not touch are taken out of the
 * request and answered with their
 * authorization error beside the answer to the rest, so one forbidden topic does not fail the others.
 */
public final class ResourceRefusals {

    /**
     * @param allowed the request without the refused resources; null when none is left to forward
     * @param empty the answer to forward nothing, to which the refusals are added
     * @param refusals adds the refused resources' answers to an answer
     */
    public record Split(ApiMessage allowed, ApiMessage empty, Consumer<ApiMessage> refusals) {

        public ApiMessage withRefusals(ApiMessage answer) {
            refusals.accept(answer);
            return answer;
        }
    }

    private ResourceRefusals() {
    }

    /** Empty when the API is not authorized resource by resource, or nothing of the request is refused. */
    public static Optional<Split> split(ApiKeys api, ApiMessage body, RequestAuthorizer access,
            Function<Uuid, String> topicNames) {
        return switch (api) {
            case CREATE_TOPICS -> createTopics((CreateTopicsRequestData) body, access);
            case DELETE_TOPICS -> deleteTopics((DeleteTopicsRequestData) body, access, topicNames);
            case CREATE_PARTITIONS -> createPartitions((CreatePartitionsRequestData) body, access);
            case DESCRIBE_CONFIGS -> describeConfigs((DescribeConfigsRequestData) body, access);
            case ALTER_CONFIGS -> alterConfigs((AlterConfigsRequestData) body, access);
            case INCREMENTAL_ALTER_CONFIGS -> incrementalAlterConfigs((IncrementalAlterConfigsRequestData) body, access);
            case DESCRIBE_GROUPS -> describeGroups((DescribeGroupsRequestData) body, access);
            case DELETE_GROUPS -> deleteGroups((DeleteGroupsRequestData) body, access);
            case DESCRIBE_TRANSACTIONS -> describeTransactions((DescribeTransactionsRequestData) body, access);
            default -> Optional.empty();
        };
    }

    private static Optional<Split> createTopics(CreateTopicsRequestData request, RequestAuthorizer access) {
        if (access.authorizes(AclOperation.CREATE, ResourceType.CLUSTER, RequestAuthorizer.CLUSTER)) {
            return Optional.empty();
        }
        List<String> refused = refused(request.topics(), t -> t.name(), t -> topic(access, AclOperation.CREATE, t));
        CreateTopicsRequestData allowed = request.duplicate();
        allowed.topics().removeIf(t -> refused.contains(t.name()));
        return split(refused, allowed, allowed.topics().isEmpty(), new CreateTopicsResponseData(),
                (CreateTopicsResponseData answer) -> refused.forEach(name -> answer.topics().add(
                        new CreateTopicsResponseData.CreatableTopicResult().setName(name)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()))));
    }

    private static Optional<Split> deleteTopics(DeleteTopicsRequestData request, RequestAuthorizer access,
            Function<Uuid, String> topicNames) {
        Function<DeleteTopicsRequestData.DeleteTopicState, String> name = t -> t.name() != null ? t.name()
                : topicNames.apply(t.topicId());
        // A topic id nobody knows is forwarded: the coordinator answers it UNKNOWN_TOPIC_ID.
        List<DeleteTopicsRequestData.DeleteTopicState> refusedStates = request.topics().stream()
                .filter(t -> name.apply(t) != null && !topic(access, AclOperation.DELETE, name.apply(t))).toList();
        List<String> refusedNames = refused(request.topicNames(), n -> n, n -> topic(access, AclOperation.DELETE, n));
        DeleteTopicsRequestData allowed = request.duplicate();
        allowed.topics().removeIf(refusedStates::contains);
        allowed.topicNames().removeAll(refusedNames);
        List<String> refused = new ArrayList<>(refusedNames);
        refusedStates.forEach(t -> refused.add(name.apply(t)));
        return split(refused, allowed, allowed.topics().isEmpty() && allowed.topicNames().isEmpty(),
                new DeleteTopicsResponseData(), (DeleteTopicsResponseData answer) -> {
                    refusedNames.forEach(n -> answer.responses().add(deleted(n, Uuid.ZERO_UUID)));
                    refusedStates.forEach(t -> answer.responses().add(deleted(name.apply(t), t.topicId())));
                });
    }

    private static DeleteTopicsResponseData.DeletableTopicResult deleted(String name, Uuid id) {
        return new DeleteTopicsResponseData.DeletableTopicResult().setName(name).setTopicId(id)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
    }

    private static Optional<Split> createPartitions(CreatePartitionsRequestData request, RequestAuthorizer access) {
        List<String> refused = refused(request.topics(), t -> t.name(), t -> topic(access, AclOperation.ALTER, t));
        CreatePartitionsRequestData allowed = request.duplicate();
        allowed.topics().removeIf(t -> refused.contains(t.name()));
        return split(refused, allowed, allowed.topics().isEmpty(), new CreatePartitionsResponseData(),
                (CreatePartitionsResponseData answer) -> refused.forEach(name -> answer.results().add(
                        new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(name)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()))));
    }

    private static Optional<Split> describeConfigs(DescribeConfigsRequestData request, RequestAuthorizer access) {
        List<DescribeConfigsRequestData.DescribeConfigsResource> refused = request.resources().stream()
                .filter(r -> configError(access, AclOperation.DESCRIBE_CONFIGS, r.resourceType(),
                        r.resourceName()) != Errors.NONE)
                .toList();
        DescribeConfigsRequestData allowed = request.duplicate();
        allowed.resources().removeIf(refused::contains);
        return split(refused, allowed, allowed.resources().isEmpty(), new DescribeConfigsResponseData(),
                (DescribeConfigsResponseData answer) -> refused.forEach(r -> {
                    Errors error = configError(access, AclOperation.DESCRIBE_CONFIGS, r.resourceType(),
                            r.resourceName());
                    answer.results().add(new DescribeConfigsResponseData.DescribeConfigsResult()
                            .setResourceType(r.resourceType()).setResourceName(r.resourceName())
                            .setErrorCode(error.code()).setErrorMessage(error.message()));
                }));
    }

    private static Optional<Split> alterConfigs(AlterConfigsRequestData request, RequestAuthorizer access) {
        List<AlterConfigsRequestData.AlterConfigsResource> refused = request.resources().stream()
                .filter(r -> configError(access, AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName()) != Errors.NONE)
                .toList();
        AlterConfigsRequestData allowed = request.duplicate();
        allowed.resources().removeIf(refused::contains);
        return split(refused, allowed, allowed.resources().isEmpty(), new AlterConfigsResponseData(),
                (AlterConfigsResponseData answer) -> refused.forEach(r -> {
                    Errors error = configError(access, AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName());
                    answer.responses().add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(r.resourceType()).setResourceName(r.resourceName())
                            .setErrorCode(error.code()).setErrorMessage(error.message()));
                }));
    }

    private static Optional<Split> incrementalAlterConfigs(IncrementalAlterConfigsRequestData request,
            RequestAuthorizer access) {
        List<IncrementalAlterConfigsRequestData.AlterConfigsResource> refused = request.resources().stream()
                .filter(r -> configError(access, AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName()) != Errors.NONE)
                .toList();
        IncrementalAlterConfigsRequestData allowed = request.duplicate();
        allowed.resources().removeIf(refused::contains);
        return split(refused, allowed, allowed.resources().isEmpty(), new IncrementalAlterConfigsResponseData(),
                (IncrementalAlterConfigsResponseData answer) -> refused.forEach(r -> {
                    Errors error = configError(access, AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName());
                    answer.responses().add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(r.resourceType()).setResourceName(r.resourceName())
                            .setErrorCode(error.code()).setErrorMessage(error.message()));
                }));
    }

    private static Optional<Split> describeGroups(DescribeGroupsRequestData request, RequestAuthorizer access) {
        List<String> refused = refused(request.groups(), g -> g, g -> group(access, AclOperation.DESCRIBE, g));
        DescribeGroupsRequestData allowed = request.duplicate();
        allowed.groups().removeAll(refused);
        return split(refused, allowed, allowed.groups().isEmpty(), new DescribeGroupsResponseData(),
                (DescribeGroupsResponseData answer) -> refused.forEach(g -> answer.groups().add(
                        new DescribeGroupsResponseData.DescribedGroup().setGroupId(g)
                                .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                                .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()))));
    }

    private static Optional<Split> deleteGroups(DeleteGroupsRequestData request, RequestAuthorizer access) {
        List<String> refused = refused(request.groupsNames(), g -> g, g -> group(access, AclOperation.DELETE, g));
        DeleteGroupsRequestData allowed = request.duplicate();
        allowed.groupsNames().removeAll(refused);
        return split(refused, allowed, allowed.groupsNames().isEmpty(), new DeleteGroupsResponseData(),
                (DeleteGroupsResponseData answer) -> refused.forEach(g -> answer.results().add(
                        new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(g)
                                .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()))));
    }

    private static Optional<Split> describeTransactions(DescribeTransactionsRequestData request,
            RequestAuthorizer access) {
        List<String> refused = refused(request.transactionalIds(), id -> id,
                id -> access.authorizes(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id));
        DescribeTransactionsRequestData allowed = request.duplicate();
        allowed.transactionalIds().removeAll(refused);
        return split(refused, allowed, allowed.transactionalIds().isEmpty(), new DescribeTransactionsResponseData(),
                (DescribeTransactionsResponseData answer) -> refused.forEach(id -> answer.transactionStates().add(
                        new DescribeTransactionsResponseData.TransactionState().setTransactionalId(id)
                                .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                                .setProducerId(-1).setProducerEpoch((short) -1).setTransactionStartTimeMs(-1))));
    }

    @SuppressWarnings("unchecked")
    private static <A extends ApiMessage> Optional<Split> split(Collection<?> refused, ApiMessage allowed,
            boolean nothingLeft, A empty, Consumer<A> refusals) {
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Split(nothingLeft ? null : allowed, empty, answer -> refusals.accept((A) answer)));
    }

    private static <R, K> List<K> refused(Collection<R> resources, Function<R, K> key, Predicate<K> allowed) {
        return resources.stream().map(key).filter(allowed.negate()).toList();
    }

    private static boolean topic(RequestAuthorizer access, AclOperation operation, String name) {
        return access.authorizes(operation, ResourceType.TOPIC, name);
    }

    private static boolean group(RequestAuthorizer access, AclOperation operation, String name) {
        return access.authorizes(operation, ResourceType.GROUP, name);
    }

    /** Topic configs are the topic's to authorize, broker configs the cluster's, as Kafka does. */
    private static Errors configError(RequestAuthorizer access, AclOperation operation, byte type, String name) {
        if (ConfigResource.Type.forId(type) == ConfigResource.Type.TOPIC) {
            return topic(access, operation, name) ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
        }
        return access.authorizes(operation, ResourceType.CLUSTER, RequestAuthorizer.CLUSTER) ? Errors.NONE
                : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
}
