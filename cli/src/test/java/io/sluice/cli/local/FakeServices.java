package io.sluice.cli.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds a Sluice "checkout" whose three service jars are {@link FakeService}. */
public final class FakeServices {

    private FakeServices() {
    }

    /** Writes {@code <home>/<module>/target/quarkus-app/quarkus-run.jar} for every role; returns {@code home}. */
    public static Path install(Path home) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        List<Path> classes = fakeClasses();
        for (Role role : Role.values()) {
            Path jar = MemberProcess.serviceJar(home, role);
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar);
                    JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Path clazz : classes) {
                    String name = FakeService.class.getPackageName().replace('.', '/') + "/" + clazz.getFileName();
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(clazz, out);
                    out.closeEntry();
                }
            }
        }
        return home;
    }

    private static List<Path> fakeClasses() throws IOException {
        try {
            Path dir = Path.of(FakeService.class.getResource(FakeService.class.getSimpleName() + ".class").toURI())
                    .getParent();
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().matches("FakeService(\\$.*)?\\.class")).toList();
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
