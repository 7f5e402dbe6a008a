package fi.kelmu.gateway.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code target/kelmu-gateway.jar} as a user runs it: its own process, started from a working
 * directory with environment variables, its output kept line by line; started once it says so.
 */
public final class PackagedJar {

    private final Process process;
    private final List<String> output;

    private PackagedJar(Process process, List<String> output) {
        this.process = process;
        this.output = output;
    }

    /** The jar the build packaged (failsafe's {@code kelmu.jar}). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("kelmu.jar", "target/kelmu-gateway.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "package the jar first: " + jar);
        return jar;
    }

    /** Starts the gateway from {@code workDir} and waits until it has started. */
    public static PackagedJar start(Path workDir, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.contains("kelmu-gateway started")) {
                        started.complete(null);
                    }
                }
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IllegalStateException("gateway exited: " + String.join("\n", output)));
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        started.get(90, TimeUnit.SECONDS);
        return new PackagedJar(process, output);
    }

    /** What the gateway printed so far, line by line. */
    public List<String> output() {
        return output;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing the gateway can do. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    }

    /** Stops it as an operator does (SIGTERM), and fails when it does not stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not stop: " + String.join("\n", output));
        }
    }
}
