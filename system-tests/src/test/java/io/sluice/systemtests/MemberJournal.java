package io.sluice.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link GroupMemberMain} processes journaled: every record they processed and every commit they made, with
 * times, read back to check at-least-once delivery.
 */
record MemberJournal(List<String[]> records, List<String[]> commits, List<String[]> assignments) {

    static MemberJournal read(List<Path> files) throws IOException {
        List<String[]> records = new ArrayList<>();
        List<String[]> commits = new ArrayList<>();
        List<String[]> assignments = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.split(" ");
                if (fields[0].equals("R") && fields.length == 5) {
                    records.add(fields);
                } else if (fields[0].equals("C") && fields.length == 4) {
                    commits.add(fields);
                } else if (fields[0].equals("A")) {
                    assignments.add(fields);
                }
            }
        }
        return new MemberJournal(records, commits, assignments);
    }

    Set<Integer> ids() {
        return records.stream().map(r -> Integer.parseInt(r[4])).collect(Collectors.toCollection(HashSet::new));
    }

    /** Records delivered again after a commit past them had been acknowledged. */
    List<String> committedReRead() {
        List<String> violations = new ArrayList<>();
        for (String[] r : records) {
            long at = Long.parseLong(r[1]);
            int partition = Integer.parseInt(r[2]);
            long offset = Long.parseLong(r[3]);
            for (String[] c : commits) {
                if (Integer.parseInt(c[2]) == partition && Long.parseLong(c[1]) < at
                        && Long.parseLong(c[3]) > offset) {
                    violations.add("partition " + partition + " offset " + offset + " read at " + at
                            + " after offset " + c[3] + " was committed at " + c[1]);
                    break;
                }
            }
        }
        return violations;
    }
}
