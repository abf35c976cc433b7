package io.sluice.testcluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.sluice.cli.local.ClusterLayout;
import io.sluice.cli.local.Member;
import io.sluice.cli.local.MemberLog;

/**
 * What a failed test leaves to read: the tail of every member's log printed with the test's output, and the whole
 * logs copied to {@code <root>/<test class>/<member>.log}, where the build keeps them after the data is deleted.
 */
final class ClusterLogs {

    private static final int TAIL_LINES = 60;

    private final ClusterLayout layout;
    private final Path root;

    ClusterLogs(ClusterLayout layout, Path root) {
        this.layout = layout;
        this.root = root;
    }

    /** {@code target/cluster-logs} of the module under test, or where {@code sluice.test.logs} says. */
    static Path defaultRoot() {
        return Path.of(System.getProperty("sluice.test.logs", "target/cluster-logs"));
    }

    void report(String testClass, String why, PrintStream out) {
        Path target = root.resolve(testClass);
        out.println("==== " + why + ": member logs (whole logs in " + target.toAbsolutePath() + ") ====");
        for (Member member : layout.members()) {
            Path log = layout.logFile(member);
            out.println("---- " + member.name() + " ----\n" + MemberLog.tail(log, TAIL_LINES));
            try {
                if (Files.exists(log)) {
                    Files.createDirectories(target);
                    Files.copy(log, target.resolve(member.name() + ".log"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                out.println("(cannot copy " + log + ": " + e.getMessage() + ")");
            }
        }
    }
}
