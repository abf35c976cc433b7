package io.sluice.cli.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A member's {@code member.log}: every start appends a marker line, then the process' own output. */
public final class MemberLog {

    private static final String MARKER = "---- sluice: ";
    private static final int TAIL_BYTES = 64 * 1024;

    private MemberLog() {
    }

    /** Appends the line that opens one run of the member. */
    static void markStart(Path log, Member member) throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, MARKER + "starting " + member.name() + " at " + Instant.now() + " ----\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The last {@code lines} lines of the latest run (since its start marker), for explaining a failure. */
    public static String tail(Path log, int lines) {
        if (!Files.exists(log)) {
            return "(no log at " + log + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
            int start = 0;
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).startsWith(MARKER)) {
                    start = i + 1;
                    break;
                }
            }
            List<String> run = all.subList(start, all.size());
            List<String> tail = run.subList(Math.max(0, run.size() - lines), run.size());
            return tail.isEmpty() ? "(the log of this run is empty: " + log + ")" : String.join("\n", tail);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
