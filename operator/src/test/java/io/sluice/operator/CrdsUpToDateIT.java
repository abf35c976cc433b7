package io.sluice.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The CRDs in {@code deploy/crds/} are exactly what the build generates from the Java types into
 * {@code target/kubernetes/}: after a change of the types, copy them over
 * ({@code cp operator/target/kubernetes/*.sluice.io-v1.yml deploy/crds/}).
 */
class CrdsUpToDateIT {

    private static final Path GENERATED = Path.of("target/kubernetes");
    private static final Path DEPLOYED = Path.of(System.getProperty("sluice.home", "..")).resolve("deploy/crds");

    @Test
    void deployedCrdsMatchTheGeneratedOnes() throws IOException {
        List<Path> generated = crds(GENERATED);
        assertThat(generated).as("CRDs generated into " + GENERATED.toAbsolutePath()).isNotEmpty();
        assertThat(crds(DEPLOYED).stream().map(Path::getFileName).map(Path::toString))
                .containsExactlyInAnyOrderElementsOf(generated.stream().map(Path::getFileName).map(Path::toString)
                        .toList());
        for (Path crd : generated) {
            assertThat(Files.readString(DEPLOYED.resolve(crd.getFileName())))
                    .as("deploy/crds/" + crd.getFileName() + " is out of date: copy " + crd + " over it")
                    .isEqualTo(Files.readString(crd));
        }
    }

    private static List<Path> crds(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sluice.io-v1.yml")).sorted().toList();
        }
    }
}
