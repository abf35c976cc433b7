package io.sluice.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class MemberProcessTest {

    @Test
    void membersRunTheServiceJarWithTheirRolesHeap() {
        Path jar = MemberProcess.serviceJar(Path.of("/sluice"), Role.BROKER);

        assertThat(jar).isEqualTo(Path.of("/sluice/broker-service/target/quarkus-app/quarkus-run.jar"));
        assertThat(MemberProcess.command(Role.BROKER, jar)).containsSubsequence("-Xmx512m", "-XX:+UseSerialGC", "-jar",
                jar.toString());
        assertThat(MemberProcess.command(Role.COORDINATOR, jar)).contains("-Xmx192m");
        assertThat(MemberProcess.command(Role.GATEWAY, jar)).contains("-Xmx256m");
    }

    @Test
    void aRecordedPidIsAdoptedOnlyWhenItsStartTimeMatches() {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElseThrow();

        assertThat(MemberProcess.adopt(self.pid(), started)).get().extracting(MemberProcess::pid).isEqualTo(self.pid());
        // Read by another JVM, whose boot time (whole seconds, recomputed by the kernel) may be a second off.
        assertThat(MemberProcess.adopt(self.pid(), started.plusMillis(1_500))).isPresent();
        // The same number, given since to another process.
        assertThat(MemberProcess.adopt(self.pid(), started.minusSeconds(3600))).isEmpty();
    }
}
