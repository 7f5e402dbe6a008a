package fi.kelmu.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged routes are named file by file, from a jar's central directory or a class folder, so that Camel
 * needs no class-path scan at start-up; the list is the routes/ folder's.
 */
class PackagedRoutesTest {

    private static final List<String> ENTRIES = List.of("routes/b.camel.yaml", "routes/a.camel.yaml",
            "routes/readme.txt", "routes/old/c.camel.yaml", "other/d.camel.yaml", "e.camel.yaml");

    @Test
    void aJarsRouteFilesAreReadFromItsDirectory(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("gateway.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("routes/"));
            for (int i = 0; i < 500; i++) {
                out.putNextEntry(new JarEntry("lib/Class" + i + ".class"));
                out.write(new byte[1024]);
            }
            for (String entry : ENTRIES) {
                out.putNextEntry(new JarEntry(entry));
                out.write("- route: {}".getBytes(StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("routes/a.camel.yaml", "routes/b.camel.yaml"), PackagedRoutes.routeFiles(jar));
    }

    @Test
    void aClassFoldersRouteFilesAreListed(@TempDir Path dir) throws IOException {
        for (String entry : ENTRIES) {
            Path file = dir.resolve(entry);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "- route: {}");
        }
        assertEquals(List.of("routes/a.camel.yaml", "routes/b.camel.yaml"), PackagedRoutes.routeFiles(dir));
        assertEquals(List.of(), PackagedRoutes.routeFiles(dir.resolve("other")));
    }

    @Test
    void thePackagedPatternNamesEveryRouteOfTheRoutesFolder() throws IOException {
        Path folder = Path.of(System.getProperty("kelmu.project.dir", "."), "routes");
        List<String> expected;
        try (Stream<Path> files = Files.list(folder)) {
            expected = files.map(f -> "classpath:routes/" + f.getFileName())
                    .filter(name -> name.endsWith(".camel.yaml")).sorted().toList();
        }
        assertTrue(expected.size() >= 10, "routes/ holds " + expected);
        assertEquals(expected, List.of(PackagedRoutes.pattern().split(",")));
    }
}
