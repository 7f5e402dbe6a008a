package fi.kelmu.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.SoapHttp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the packaged target/kelmu-gateway.jar, started as a user starts it (sandbox mode, port from
 * KELMU_HTTP_PORT), answers the README's sample request over HTTP. It runs from an empty working
 * directory, so the routes, contract and demo data must all come from the jar.
 */
class PackagedJarIT {

    private static final String BI = "urn:fi:kelmu:benefit:v1";
    private static Process process;
    private static final List<String> output = new CopyOnWriteArrayList<>();
    private static int port;

    @BeforeAll
    static void startJar(@TempDir Path workDir) throws Exception {
        Path jar = Path.of(System.getProperty("kelmu.jar", "target/kelmu-gateway.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "package the jar first: " + jar);
        port = FreePort.find();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("KELMU_HTTP_PORT", Integer.toString(port));
        process = builder.start();
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
            } catch (java.io.IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IllegalStateException("gateway exited: " + String.join("\n", output)));
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        started.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopJar() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void packagedJarAnswersTheReadmeSampleWithBenefitData() throws Exception {
        byte[] sample = Files.readAllBytes(Path.of(System.getProperty("kelmu.project.dir", "."),
                "samples/get-benefit-data.xml"));
        SoapHttp.Response response = SoapHttp.post("http://localhost:" + port + "/ws/BenefitInformationService",
                sample, "urn:fi:kelmu:benefit:v1#getBenefitData");

        assertEquals(200, response.status(), response.bodyText());
        assertEquals("010180-9026", SoapHttp.text(response.document(), BI, "clientId"));
        assertTrue(SoapHttp.count(response.document(), BI, "payment") > 0);
        assertTrue(output.stream().anyMatch(l -> l.contains("using the routes packaged in the jar")), "routes from jar");
    }

    @Test
    void packagedJarServesItsWsdl() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/ws/BenefitInformationService?wsdl")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("getBasicSocialAssistance"));
    }

    @Test
    void faultFromThePackagedJarCarriesTheCorrelationIdOfItsLogLine() throws Exception {
        SoapHttp.Response response = SoapHttp.post("http://localhost:" + port + "/ws/BenefitInformationService",
                SoapHttp.fixture("unknown-organisation.xml"), null);
        assertEquals(500, response.status());
        String id = response.correlationId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (output.stream().noneMatch(l -> l.contains(id) && l.contains("Client.UnknownOrganisation"))
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(output.stream().anyMatch(l -> l.contains(id) && l.contains("Client.UnknownOrganisation")),
                "log line with the same correlation id");
    }
}
