package fi.kelmu.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of docs/architecture.md, checked against the imports of src/main: every package
 * imports only packages listed before it (so the graph has no cycle), only the edges touch Camel and CXF,
 * and only the launcher uses the sandbox.
 */
class ArchitectureTest {

    private static final String BASE = "fi.kelmu.gateway";
    private static final String ROOT = "(root)";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);
    private static final Path PROJECT = Path.of(System.getProperty("kelmu.project.dir", "."));

    /** Package (relative to fi.kelmu.gateway, {@value #ROOT} for the root) of each main source file, by file. */
    private static final Map<Path, String> PACKAGE_OF = new TreeMap<>();
    private static final Map<Path, List<String>> IMPORTS_OF = new TreeMap<>();
    private static List<String> layers;

    @BeforeAll
    static void readSourcesAndLayers() throws IOException {
        Path main = PROJECT.resolve("src/main/java/fi/kelmu/gateway");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path dir = main.relativize(file.getParent());
                PACKAGE_OF.put(file, dir.toString().isEmpty() ? ROOT : dir.toString().replace('/', '.'));
                List<String> imports = new ArrayList<>();
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    imports.add(m.group(1));
                }
                IMPORTS_OF.put(file, imports);
            }
        }
        String doc = Files.readString(PROJECT.resolve("docs/architecture.md"));
        int start = doc.indexOf("```layers\n");
        assertTrue(start >= 0, "docs/architecture.md has no ```layers block");
        String block = doc.substring(start + "```layers\n".length(), doc.indexOf("```", start + 10));
        layers = block.lines().filter(l -> !l.isBlank()).map(l -> l.strip().split("\\s+")[0]).toList();
    }

    /** The gateway package an import names, or null when it names another library. */
    private static String gatewayPackage(String imported) {
        if (!imported.startsWith(BASE + ".")) {
            return null;
        }
        String rest = imported.substring(BASE.length() + 1);
        // a class of the root package (fi.kelmu.gateway.Gateway) or of a package (fi.kelmu.gateway.audit.X)
        return Character.isUpperCase(rest.charAt(0)) ? ROOT : rest.split("\\.")[0];
    }

    @Test
    void everyPackageIsDocumentedInTheLayers() {
        Set<String> packages = new TreeSet<>(PACKAGE_OF.values());
        for (String p : packages) {
            assertTrue(layers.contains(p), "package " + p + " is not in the layers of docs/architecture.md");
        }
        assertEquals(new TreeSet<>(layers), packages, "the layers name packages that do not exist");
    }

    @Test
    void packagesImportOnlyPackagesBeforeThemSoTheGraphHasNoCycle() {
        List<String> violations = new ArrayList<>();
        PACKAGE_OF.forEach((file, own) -> {
            for (String imported : IMPORTS_OF.get(file)) {
                String target = gatewayPackage(imported);
                if (target != null && !target.equals(own) && layers.indexOf(target) > layers.indexOf(own)) {
                    violations.add(PROJECT.relativize(file) + " (" + own + ") imports " + imported + " (" + target + ")");
                }
            }
        });
        assertEquals(List.of(), violations, "imports against the layer order of docs/architecture.md");
    }

    @Test
    void onlyTheEdgesTouchCamelAndCxf() {
        Set<String> edges = Set.of("transport", "route", ROOT);
        List<String> violations = new ArrayList<>();
        PACKAGE_OF.forEach((file, own) -> IMPORTS_OF.get(file).stream()
                .filter(i -> i.startsWith("org.apache.camel") || i.startsWith("org.apache.cxf"))
                .filter(i -> !edges.contains(own))
                .forEach(i -> violations.add(PROJECT.relativize(file) + " imports " + i)));
        assertEquals(List.of(), violations, "capabilities take and return plain types");
    }

    @Test
    void productionWiringNeverReferencesTheSandbox() {
        List<String> users = new ArrayList<>();
        PACKAGE_OF.forEach((file, own) -> {
            boolean usesSandbox = IMPORTS_OF.get(file).stream().anyMatch(i -> "sandbox".equals(gatewayPackage(i)));
            if (usesSandbox && !own.equals("sandbox")) {
                users.add(file.getFileName().toString());
            }
        });
        assertEquals(List.of("Launcher.java"), users, "only the launcher starts the sandbox");
    }
}
