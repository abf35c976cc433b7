package io.sluice.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberLogTest {

    @TempDir
    Path dir;

    private final Member broker = new Member("broker-1", Role.BROKER, 1, 9094, 8091, 7800);

    @Test
    void tailShowsOnlyTheLatestRun() throws Exception {
        Path log = dir.resolve("broker-1/member.log");
        MemberLog.markStart(log, broker);
        Files.writeString(log, "old 1\nold 2\n", StandardOpenOption.APPEND);
        MemberLog.markStart(log, broker);
        Files.writeString(log, "new 1\nnew 2\nnew 3\n", StandardOpenOption.APPEND);

        assertThat(MemberLog.tail(log, 2)).isEqualTo("new 2\nnew 3");
        assertThat(MemberLog.tail(log, 10)).isEqualTo("new 1\nnew 2\nnew 3");
    }

    @Test
    void aMissingOrEmptyLogIsSaidSo() throws Exception {
        Path log = dir.resolve("broker-1/member.log");
        assertThat(MemberLog.tail(log, 5)).startsWith("(no log at");

        MemberLog.markStart(log, broker);
        assertThat(MemberLog.tail(log, 5)).startsWith("(the log of this run is empty");
    }
}
