package io.sluice.cli.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ContainerClusterTest {

    private static final String BROKER = """
            {"name":"sluice-broker-1","role":"broker","address":"10.89.42.12",
             "dnsNames":["sluice-broker-1.sluice-broker.default.svc","sluice-broker.default.svc.cluster.local"],
             "image":"localhost/sluice/broker-service:1.0",
             "command":["/bin/sh","-c","export SLUICE_BROKER_ID=$(( ${HOSTNAME##*-} + 1 )); exec run-java.sh"],
             "env":{"SLUICE_DATA_DIR":"/var/lib/sluice","POD_NAME":"sluice-broker-1"},
             "ports":{"kafka":9094,"http":8080},"published":{},"dataDir":"/var/lib/sluice","volumeGroup":185,
             "startup":{"path":"/q/health/started","port":8080,"periodSeconds":5,"timeoutSeconds":3,"failureThreshold":60},
             "liveness":{"path":"/q/health/live","port":8080,"periodSeconds":5,"timeoutSeconds":3,"failureThreshold":3},
             "readiness":{"path":"/q/health/ready","port":8080,"periodSeconds":5,"timeoutSeconds":3,"failureThreshold":3},
             "terminationGraceSeconds":60}
            """;

    @TempDir
    Path data;

    @Test
    void aPodBecomesAPodmanRunWithItsNameNetworkIdentityEnvironmentVolumeAndReadinessCheck() throws Exception {
        JsonNode pod = new ObjectMapper().readTree(BROKER);

        List<String> args = ContainerCluster.in(data, data).runArguments(pod);

        String line = String.join(" ", args);
        assertThat(line).contains("--name sluice-broker-1 --hostname sluice-broker-1",
                "--network sluice --ip 10.89.42.12", "--stop-timeout 60",
                "--network-alias sluice-broker-1.sluice-broker.default.svc",
                "--network-alias sluice-broker.default.svc.cluster.local",
                "--env SLUICE_DATA_DIR=/var/lib/sluice --env POD_NAME=sluice-broker-1",
                "--volume " + data.resolve("containers/volumes/sluice-broker-1") + ":/var/lib/sluice:U",
                "--group-add 185", "--health-cmd [\"http-probe\",\"8080\",\"/q/health/ready\"]",
                "--health-retries 3", "--health-start-period 300s");
        assertThat(args.get(args.indexOf("--entrypoint") + 1)).startsWith("[\"/bin/sh\",\"-c\",\"export SLUICE_BROKER_ID");
        assertThat(args).last().isEqualTo("localhost/sluice/broker-service:1.0");
        assertThat(args).doesNotContain("--publish");
        assertThat(Files.isDirectory(data.resolve("containers/volumes/sluice-broker-1"))).isTrue();
    }

    @Test
    void theClusterResourceAsksForTheLocalImagesAndAGatewayAdvertisedOnLoopback() {
        String resource = ContainerCluster.clusterResource("1.0", 3, 1, 9092, 8080,
                Map.of("coordinator", "192m", "broker", "512m", "gateway", "256m"));

        assertThat(resource).contains("name: sluice", "image: localhost/sluice", "version: \"1.0\"",
                "advertisedHost: 127.0.0.1", "jvmOptions: \"-Xmx512m\"", "kafkaPort: 9092");
    }

    @Test
    void containerLimitsStayWithinWhatTheHostAllows() {
        List<String> limits = ContainerCluster.limits();

        assertThat(limits).containsExactly("--ulimit", limits.get(1), "--ulimit", "nproc=16384:16384");
        assertThat(limits.get(1)).matches("nofile=(\\d+):\\1");
    }
}
