package io.sluice.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFileTest {

    @TempDir
    Path data;

    @Test
    void recordsEveryMemberAndThePidsOfThoseRunning() throws Exception {
        ClusterLayout layout = ClusterLayout.standard(data, 2, 1, 9092, 8080, 100);
        MemberProcess self = MemberProcess.adopt(ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElseThrow()).orElseThrow();

        ClusterFile.write(layout, Map.of("broker-2", self));

        String json = Files.readString(data.resolve("cluster.json"));
        assertThat(json).contains("\"name\" : \"broker-2\"", "\"role\" : \"BROKER\"", "\"kafkaPort\" : 9195",
                "\"pid\" : " + self.pid());
        ClusterFile.Recorded recorded = ClusterFile.read(data).orElseThrow();
        assertThat(recorded.layout()).isEqualTo(layout);
        assertThat(recorded.pids()).containsExactly(Map.entry("broker-2", self.pid()));
        assertThat(recorded.starts()).containsExactly(Map.entry("broker-2", self.started()));
    }

    @Test
    void aSecuredClusterIsRecordedSecuredInAFileOnlyItsOwnerReads() throws Exception {
        ClusterLayout layout = ClusterLayout.standard(data, 1, 1, 9092, 8080, 100).secured("s3cret");

        ClusterFile.write(layout, Map.of());

        assertThat(ClusterFile.read(data).orElseThrow().layout()).isEqualTo(layout);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("cluster.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void noFileMeansNoRecordedCluster() {
        assertThat(ClusterFile.read(data)).isEmpty();
    }

    @Test
    void aDamagedFileIsNamedInTheError() throws Exception {
        Files.writeString(data.resolve("cluster.json"), "{\"members\": [");

        assertThatThrownBy(() -> ClusterFile.read(data)).hasMessageContaining(data.resolve("cluster.json").toString());
    }
}
