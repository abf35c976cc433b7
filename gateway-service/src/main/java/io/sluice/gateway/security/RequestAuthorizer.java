package io.sluice.gateway.security;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * What each Kafka API needs of the ACLs, as Kafka's brokers check it: WRITE on a topic to produce, READ to fetch,
 * READ on a group to join it, WRITE on a transactional id to use it, CREATE on the cluster or the topic to create one,
 * ALTER on the cluster to change ACLs and users, and so on. The data APIs' topics are checked partition by partition
 * (the others are served); any other request is checked whole: the first resource it may not touch names the error
 * the whole request is answered with. Metadata and ListGroups are not refused but filtered
 * (by the request handler); an API not known here is refused.
 */
public final class RequestAuthorizer {

    /** The cluster resource's one name. */
    public static final String CLUSTER = "kafka-cluster";

    private final Authorizer authorizer;
    private final KafkaPrincipal principal;
    private final String host;
    private final Function<Uuid, String> topicNames;
    private Errors refusal;

    /** @param topicNames a topic id's name, null when unknown */
    public RequestAuthorizer(Authorizer authorizer, KafkaPrincipal principal, String host,
            Function<Uuid, String> topicNames) {
        this.authorizer = authorizer;
        this.principal = principal;
        this.host = host;
        this.topicNames = topicNames;
    }

    public boolean authorizes(AclOperation operation, ResourceType type, String name) {
        return authorizer.authorizes(principal, host, operation, type, name);
    }

    /** The error to refuse the whole request with; null when it may be served. */
    public Errors refusal(ApiKeys api, ApiMessage body) {
        refusal = null;
        if (authorizer.isSuperUser(principal)) {
            return null;
        }
        switch (api) {
            case METADATA, DESCRIBE_CLUSTER, LIST_GROUPS, LIST_TRANSACTIONS -> {
                // answered, filtered to what the principal may describe
            }
            case PRODUCE -> {
                // Topics are checked partition by partition as the request is routed (dataTopics).
                ProduceRequestData produce = (ProduceRequestData) body;
                if (produce.transactionalId() != null) {
                    transactionalId(AclOperation.WRITE, produce.transactionalId());
                }
            }
            case FETCH, LIST_OFFSETS, OFFSET_FOR_LEADER_EPOCH, DELETE_RECORDS, DESCRIBE_PRODUCERS -> {
                // partition by partition, as they are routed
            }
            case FIND_COORDINATOR -> findCoordinator((FindCoordinatorRequestData) body);
            case JOIN_GROUP -> group(AclOperation.READ, ((JoinGroupRequestData) body).groupId());
            case SYNC_GROUP -> group(AclOperation.READ, ((SyncGroupRequestData) body).groupId());
            case HEARTBEAT -> group(AclOperation.READ, ((HeartbeatRequestData) body).groupId());
            case LEAVE_GROUP -> group(AclOperation.READ, ((LeaveGroupRequestData) body).groupId());
            case CONSUMER_GROUP_HEARTBEAT -> {
                ConsumerGroupHeartbeatRequestData heartbeat = (ConsumerGroupHeartbeatRequestData) body;
                group(AclOperation.READ, heartbeat.groupId());
                if (heartbeat.subscribedTopicNames() != null) {
                    heartbeat.subscribedTopicNames().forEach(t -> topic(AclOperation.DESCRIBE, t, null));
                }
            }
            case CONSUMER_GROUP_DESCRIBE -> ((ConsumerGroupDescribeRequestData) body).groupIds()
                    .forEach(g -> group(AclOperation.DESCRIBE, g));
            case OFFSET_COMMIT -> {
                OffsetCommitRequestData commit = (OffsetCommitRequestData) body;
                group(AclOperation.READ, commit.groupId());
                commit.topics().forEach(t -> topic(AclOperation.READ, t.name(), t.topicId()));
            }
            case OFFSET_FETCH -> offsetFetch((OffsetFetchRequestData) body);
            case OFFSET_DELETE -> {
                OffsetDeleteRequestData delete = (OffsetDeleteRequestData) body;
                group(AclOperation.DELETE, delete.groupId());
                delete.topics().forEach(t -> topic(AclOperation.READ, t.name(), null));
            }
            case DESCRIBE_GROUPS -> ((DescribeGroupsRequestData) body).groups()
                    .forEach(g -> group(AclOperation.DESCRIBE, g));
            case DELETE_GROUPS -> ((DeleteGroupsRequestData) body).groupsNames()
                    .forEach(g -> group(AclOperation.DELETE, g));
            case DESCRIBE_TRANSACTIONS -> ((DescribeTransactionsRequestData) body).transactionalIds()
                    .forEach(id -> transactionalId(AclOperation.DESCRIBE, id));
            case INIT_PRODUCER_ID -> {
                String id = ((InitProducerIdRequestData) body).transactionalId();
                if (id != null) {
                    transactionalId(AclOperation.WRITE, id);
                } else if (!authorizes(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, CLUSTER)
                        && !authorizer.authorizesAny(principal, host, AclOperation.WRITE, ResourceType.TOPIC)) {
                    refuse(Errors.CLUSTER_AUTHORIZATION_FAILED);
                }
            }
            case ADD_PARTITIONS_TO_TXN -> {
                AddPartitionsToTxnRequestData add = (AddPartitionsToTxnRequestData) body;
                transactionalId(AclOperation.WRITE, add.v3AndBelowTransactionalId());
                add.v3AndBelowTopics().forEach(t -> topic(AclOperation.WRITE, t.name(), null));
            }
            case ADD_OFFSETS_TO_TXN -> {
                AddOffsetsToTxnRequestData add = (AddOffsetsToTxnRequestData) body;
                transactionalId(AclOperation.WRITE, add.transactionalId());
                group(AclOperation.READ, add.groupId());
            }
            case END_TXN -> transactionalId(AclOperation.WRITE, ((EndTxnRequestData) body).transactionalId());
            case TXN_OFFSET_COMMIT -> {
                TxnOffsetCommitRequestData commit = (TxnOffsetCommitRequestData) body;
                transactionalId(AclOperation.WRITE, commit.transactionalId());
                group(AclOperation.READ, commit.groupId());
                commit.topics().forEach(t -> topic(AclOperation.READ, t.name(), null));
            }
            case CREATE_TOPICS -> {
                if (!authorizes(AclOperation.CREATE, ResourceType.CLUSTER, CLUSTER)) {
                    ((CreateTopicsRequestData) body).topics().forEach(t -> topic(AclOperation.CREATE, t.name(), null));
                }
            }
            case DELETE_TOPICS -> {
                DeleteTopicsRequestData delete = (DeleteTopicsRequestData) body;
                delete.topicNames().forEach(t -> topic(AclOperation.DELETE, t, null));
                delete.topics().forEach(t -> topic(AclOperation.DELETE, t.name(), t.topicId()));
            }
            case CREATE_PARTITIONS -> ((CreatePartitionsRequestData) body).topics()
                    .forEach(t -> topic(AclOperation.ALTER, t.name(), null));
            case DESCRIBE_CONFIGS -> ((DescribeConfigsRequestData) body).resources()
                    .forEach(r -> config(AclOperation.DESCRIBE_CONFIGS, r.resourceType(), r.resourceName()));
            case ALTER_CONFIGS -> ((AlterConfigsRequestData) body).resources()
                    .forEach(r -> config(AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName()));
            case INCREMENTAL_ALTER_CONFIGS -> ((IncrementalAlterConfigsRequestData) body).resources()
                    .forEach(r -> config(AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName()));
            case DESCRIBE_ACLS, DESCRIBE_USER_SCRAM_CREDENTIALS, DESCRIBE_LOG_DIRS, LIST_PARTITION_REASSIGNMENTS ->
                cluster(AclOperation.DESCRIBE);
            case DESCRIBE_CLIENT_QUOTAS -> cluster(AclOperation.DESCRIBE_CONFIGS);
            case ALTER_CLIENT_QUOTAS -> cluster(AclOperation.ALTER_CONFIGS);
            case CREATE_ACLS, DELETE_ACLS, ALTER_USER_SCRAM_CREDENTIALS, ELECT_LEADERS, ALTER_PARTITION_REASSIGNMENTS ->
                cluster(AclOperation.ALTER);
            default -> refuse(Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
        return refusal;
    }

    /**
     * Which topics a data request may touch, checked partition by partition as it is routed: WRITE to produce, READ to
     * fetch, DESCRIBE to list offsets; null when every topic is.
     */
    public Predicate<String> dataTopics(ApiKeys api) {
        if (authorizer.isSuperUser(principal)) {
            return null;
        }
        AclOperation operation = switch (api) {
            case PRODUCE -> AclOperation.WRITE;
            case FETCH, DESCRIBE_PRODUCERS -> AclOperation.READ;
            case DELETE_RECORDS -> AclOperation.DELETE;
            default -> AclOperation.DESCRIBE;
        };
        return topic -> authorizes(operation, ResourceType.TOPIC, topic);
    }

    private void findCoordinator(FindCoordinatorRequestData find) {
        boolean transaction = find.keyType() == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        List<String> keys = find.coordinatorKeys().isEmpty() ? List.of(find.key())
                : find.coordinatorKeys();
        for (String key : keys) {
            if (transaction) {
                transactionalId(AclOperation.DESCRIBE, key);
            } else {
                group(AclOperation.DESCRIBE, key);
            }
        }
    }

    /** The groups only: topics are answered one by one (AuthorizedViews), as Kafka does. */
    private void offsetFetch(OffsetFetchRequestData fetch) {
        if (fetch.groups().isEmpty()) {
            group(AclOperation.DESCRIBE, fetch.groupId());
        }
        fetch.groups().forEach(group -> group(AclOperation.DESCRIBE, group.groupId()));
    }

    private void config(AclOperation operation, byte resourceType, String name) {
        if (ConfigResource.Type.forId(resourceType) == ConfigResource.Type.TOPIC) {
            topic(operation, name, null);
        } else {
            cluster(operation);
        }
    }

    private void topic(AclOperation operation, String name, Uuid id) {
        String known = name != null && !name.isEmpty() ? name : id == null ? null : topicNames.apply(id);
        if (known == null) {
            refuse(Errors.UNKNOWN_TOPIC_ID);
        } else if (!authorizes(operation, ResourceType.TOPIC, known)) {
            refuse(Errors.TOPIC_AUTHORIZATION_FAILED);
        }
    }

    private void group(AclOperation operation, String name) {
        if (!authorizes(operation, ResourceType.GROUP, name)) {
            refuse(Errors.GROUP_AUTHORIZATION_FAILED);
        }
    }

    private void transactionalId(AclOperation operation, String id) {
        if (!authorizes(operation, ResourceType.TRANSACTIONAL_ID, id)) {
            refuse(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
    }

    private void cluster(AclOperation operation) {
        if (!authorizes(operation, ResourceType.CLUSTER, CLUSTER)) {
            refuse(Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
    }

    private void refuse(Errors error) {
        if (refusal == null) {
            refusal = error;
        }
    }
}
