package fi.kelmu.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The route files packaged with the gateway ({@code routes/*.camel.yaml} beside its classes), named one by one for
 * Camel. Camel resolves a wildcard on the class path by reading every entry of every jar through a
 * {@code JarInputStream}, inflating each: in the packaged jar that took 1.7 s of a 6 s start (docs/benchmark.md,
 * "Start-up: the packaged routes named, not scanned"). Here the jar's central directory is read, or the folder
 * listed, and each file is named.
 */
final class PackagedRoutes {

    static final String FOLDER = "routes/";
    static final String SUFFIX = ".camel.yaml";

    private PackagedRoutes() {
    }

    /** Camel's routes include pattern for the packaged routes: {@code classpath:routes/a.camel.yaml,...}. */
    static String pattern() {
        Path location = location();
        List<String> files = routeFiles(location);
        if (files.isEmpty()) {
            throw new IllegalStateException("no " + FOLDER + "*" + SUFFIX + " packaged with the gateway at " + location);
        }
        return String.join(",", files.stream().map(name -> "classpath:" + name).toList());
    }

    /** The route files ({@code routes/x.camel.yaml}, not in subfolders) in a jar or a class folder, sorted. */
    static List<String> routeFiles(Path location) {
        try {
            if (Files.isDirectory(location)) {
                Path folder = location.resolve(FOLDER);
                if (!Files.isDirectory(folder)) {
                    return List.of();
                }
                try (Stream<Path> files = Files.list(folder)) {
                    return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                            .filter(PackagedRoutes::isRouteFile).map(name -> FOLDER + name).sorted().toList();
                }
            }
            try (JarFile jar = new JarFile(location.toFile(), false)) {
                return jar.stream().filter(entry -> !entry.isDirectory()).map(JarEntry::getName)
                        .filter(name -> name.startsWith(FOLDER) && isRouteFile(name.substring(FOLDER.length())))
                        .sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the routes packaged at " + location, e);
        }
    }

    private static boolean isRouteFile(String name) {
        return name.endsWith(SUFFIX) && name.indexOf('/') < 0;
    }

    /** The jar or class folder the gateway's classes, and with them its routes, were loaded from. */
    private static Path location() {
        try {
            return Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the gateway's code source is not a file", e);
        }
    }
}
