package io.sluice.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.sluice.operator.cluster.ClusterReason;
import io.sluice.operator.topic.TopicReason;
import io.sluice.operator.user.UserReason;

/** Every reason the operator can set in a condition is in the README's operator section, with what to do. */
class StatusReasonsDocumentedTest {

    private static final Path README = Path.of(System.getProperty("sluice.home", "..")).resolve("README.md");

    @Test
    void everyReasonHasARowInTheReadmesOperatorSection() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("## On Kubernetes: the operator");
        assertThat(start).as("the operator section of " + README).isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start));

        Stream.of(TopicReason.values(), ClusterReason.values(), UserReason.values()).flatMap(Arrays::stream)
                .forEach(reason -> assertThat(section).as("README row of " + reason)
                        .contains("| `" + reason.name() + "` |"));
    }
}
