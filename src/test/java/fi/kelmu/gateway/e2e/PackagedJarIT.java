package fi.kelmu.gateway.e2e;

import static fi.kelmu.gateway.support.TestData.BENEFIT_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.PackagedJar;
import fi.kelmu.gateway.support.SoapHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the packaged target/kelmu-gateway.jar, started as a user starts it (sandbox mode, port from
 * KELMU_HTTP_PORT), answers the README's sample request sent, signed and verified by the jar's own client kit,
 * as the README shows. It runs from an empty working directory, so the routes, contract and demo data must
 * all come from the jar, and the sandbox PKI is created there on first start.
 */
class PackagedJarIT {

    private static PackagedJar gateway;
    private static int port;

    private static Path jar;
    private static Path workDir;

    @BeforeAll
    static void startJar(@TempDir Path dir) throws Exception {
        workDir = dir;
        jar = PackagedJar.jar();
        port = FreePort.find();
        gateway = PackagedJar.start(workDir, Map.of("KELMU_HTTP_PORT", Integer.toString(port)));
    }

    @AfterAll
    static void stopJar() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    @Test
    void clientKitOfThePackagedJarGetsTheReadmeSampleAnsweredAndVerified() throws Exception {
        ClientRun run = clientKit("--keystore", pki("organisations/9000001-1.p12"), "--password", "sandbox",
                "--user-id", "FI010594Y9032", "--request", project("samples/get-benefit-data.xml"),
                "--trust", pki("truststore.p12"), "--trust-password", "sandbox");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("response signature verified"), run.err());
        assertEquals("010180-9026", SoapHttp.text(SoapHttp.parse(run.out().getBytes(StandardCharsets.UTF_8)), BENEFIT_NS, "clientId"));
        assertTrue(SoapHttp.count(SoapHttp.parse(run.out().getBytes(StandardCharsets.UTF_8)), BENEFIT_NS, "payment") > 0);
        assertTrue(gateway.output().stream().anyMatch(l -> l.contains("using the routes packaged in the jar")), "routes from jar");
    }

    @Test
    void unsignedRequestIsRefusedByThePackagedJar() {
        SoapHttp.Response response = SoapHttp.post(url(), SoapHttp.fixture("get-benefit-data-hva.xml"), null);
        assertEquals(500, response.status());
        assertEquals("soap:Client.SignatureRequired", response.faultCode().strip());
    }

    @Test
    void packagedJarServesItsWsdl() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "?wsdl")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("getBasicSocialAssistance"));
    }

    @Test
    void faultFromThePackagedJarCarriesTheCorrelationIdOfItsLogLine() throws Exception {
        ClientRun run = clientKit("--keystore", pki("organisations/9000001-1.p12"), "--password", "sandbox",
                "--user-id", "FI010594Y9032", "--request", project("samples/get-benefit-data.xml"),
                "--client", "9000005-4", "--trust", pki("truststore.p12"), "--trust-password", "sandbox");

        assertEquals(1, run.exitCode(), run.err());
        String id = SoapHttp.text(SoapHttp.parse(run.out().getBytes(StandardCharsets.UTF_8)), "urn:fi:kelmu:common:v1",
                "correlationId");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gateway.output().stream().noneMatch(l -> l.contains(id) && l.contains("Client.OrganisationMismatch"))
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(gateway.output().stream().anyMatch(l -> l.contains(id) && l.contains("Client.OrganisationMismatch")),
                "log line with the same correlation id");
    }

    @Test
    void refusedAndAllowedRequestsAreInTheAccessLogTheJarsCommandReadsAndVerifies() throws Exception {
        ClientRun refused = clientKit("--keystore", pki("organisations/9000001-1.p12"), "--password", "sandbox",
                "--user-id", "FI111175-943R", "--request", project("samples/get-benefit-data.xml"),
                "--trust", pki("truststore.p12"), "--trust-password", "sandbox");
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.out().contains("Client.MandateMissing"), "README's refused example");
        assertTrue(refused.out().contains("valtuuttaja"), "the explanation says whom to ask");

        ClientRun query = jar("access-log", "query", "--user", "FI111175-943R");
        assertEquals(0, query.exitCode(), query.err());
        assertTrue(query.out().lines().anyMatch(l -> l.contains("REFUSED") && l.contains("Client.MandateMissing")
                && l.contains("010180-9026")), query.out());
        assertTrue(query.out().lines().noneMatch(l -> l.contains(" INFO ")), "standard output is the result only");

        ClientRun verify = jar("access-log", "verify");
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        assertTrue(verify.out().contains("intact"), verify.out());

        // an allowed answer's receipt, as the client kit prints it, is found by the jar's verify --receipt
        ClientRun allowed = clientKit("--keystore", pki("organisations/9000001-1.p12"), "--password", "sandbox",
                "--user-id", "FI010594Y9032", "--request", project("samples/get-benefit-data.xml"),
                "--trust", pki("truststore.p12"), "--trust-password", "sandbox");
        assertEquals(0, allowed.exitCode(), allowed.err());
        java.util.regex.Matcher receipt = java.util.regex.Pattern.compile("access receipt ([0-9]+:[0-9a-f]{64})")
                .matcher(allowed.err());
        assertTrue(receipt.find(), allowed.err());
        ClientRun found = jar("access-log", "verify", "--receipt", receipt.group(1));
        assertEquals(0, found.exitCode(), found.out() + found.err());
        assertTrue(found.out().contains("receipt " + receipt.group(1) + ": in the chain"), found.out());
    }

    private record ClientRun(int exitCode, String out, String err) {
    }

    private static ClientRun clientKit(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("client", "--url", url()));
        all.addAll(List.of(args));
        return jar(all.toArray(String[]::new));
    }

    /** Runs the packaged jar with these arguments in the gateway's working directory. */
    private static ClientRun jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "client", ".out");
        Path err = Files.createTempFile(workDir, "client", ".err");
        Process client = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(client.waitFor(60, TimeUnit.SECONDS), "client kit finished");
        return new ClientRun(client.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String pki(String file) {
        return workDir.resolve("sandbox/pki").resolve(file).toString();
    }

    private static String project(String file) {
        return Path.of(System.getProperty("kelmu.project.dir", "."), file).toAbsolutePath().toString();
    }

    private static String url() {
        return "http://localhost:" + port + "/ws/BenefitInformationService";
    }
}
