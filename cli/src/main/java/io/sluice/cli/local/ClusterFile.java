package io.sluice.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code <data>/cluster.json}: the members a launcher started (name, role, id, ports, pid and start time), so that a
 * later {@code sluice status} or {@code sluice down} finds them.
 */
final class ClusterFile {

    static final String NAME = "cluster.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * One member as recorded; {@code pid} and {@code started} are absent while it does not run, {@code host} in files
     * written before members had one (loopback).
     */
    record Entry(String name, Role role, int id, String host, int kafkaPort, int httpPort, int jgroupsPort, Long pid,
            String started) {

        Member member() {
            return new Member(name, role, id, kafkaPort, httpPort, jgroupsPort, host == null ? Member.LOOPBACK : host);
        }
    }

    /** The members, and the cluster's security when it is secured (its password too: the file is owner-only). */
    record Content(List<Entry> members, ClusterLayout.Security security) {
    }

    /** What a file holds: the layout and the recorded process of each running member. */
    record Recorded(ClusterLayout layout, Map<String, Long> pids, Map<String, Instant> starts) {
    }

    private ClusterFile() {
    }

    static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    static void write(ClusterLayout layout, Map<String, MemberProcess> running) {
        List<Entry> entries = layout.members().stream().map(m -> {
            MemberProcess process = running.get(m.name());
            return new Entry(m.name(), m.role(), m.id(), m.host(), m.kafkaPort(), m.httpPort(), m.jgroupsPort(),
                    process == null ? null : process.pid(), process == null ? null : process.started().toString());
        }).toList();
        Path file = path(layout.dataDir());
        Path partial = file.resolveSibling(NAME + ".partial");
        try {
            Files.createDirectories(layout.dataDir());
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(partial.toFile(), new Content(entries, layout.security()));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Optional<Recorded> read(Path dataDir) {
        Path file = path(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Content content = JSON.readValue(file.toFile(), Content.class);
            Map<String, Long> pids = new LinkedHashMap<>();
            Map<String, Instant> starts = new LinkedHashMap<>();
            for (Entry entry : content.members()) {
                if (entry.pid() != null && entry.started() != null) {
                    pids.put(entry.name(), entry.pid());
                    starts.put(entry.name(), Instant.parse(entry.started()));
                }
            }
            ClusterLayout layout = new ClusterLayout(dataDir, content.members().stream().map(Entry::member).toList(),
                    content.security());
            return Optional.of(new Recorded(layout, pids, starts));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + file + " (" + e.getMessage()
                    + "); if no cluster runs from there, delete it", e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(path(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path(dataDir), e);
        }
    }
}
