package fi.kelmu.gateway.clientkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client kit signs, sends and verifies; an answer it cannot verify is never reported as good. */
class ClientKitTest {

    @RegisterExtension
    static WireMockExtension impostor = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).failOnUnmatchedRequests(true).build();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void signedRequestIsAnsweredAndTheGatewaySignatureAndRequestHashVerify() throws Exception {
        try (Gateway gateway = TestGateway.startSandbox(Map.of())) {
            int status = run(gateway.serviceUrl(), "9000001-1");
            assertEquals(0, status, err());
            assertTrue(err().contains("response signature verified"), err());
            assertTrue(out().contains("010180-9026"));
        }
    }

    @Test
    void unsignedAnswerFromAnImpostorIsRejected() {
        impostor.stubFor(post(urlEqualTo("/ws")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody("""
                        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
                        <getBenefitDataResponse xmlns="urn:fi:kelmu:benefit:v1"><clientId>010180-9026</clientId>
                        <purpose>MUUT_ETUUDET</purpose></getBenefitDataResponse></s:Body></s:Envelope>""")));
        assertEquals(2, run(impostor.baseUrl() + "/ws", "9000001-1"));
        assertTrue(err().contains("Client.SignatureRequired"), err());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertEquals(2, new ClientKit(new PrintStream(out), new PrintStream(err)).run(new String[] {"--request", "x"}));
        assertTrue(err().contains("--keystore is required"), err());
    }

    private int run(String url, String businessId) {
        Path pki = TestGateway.pki().directory();
        String request = Path.of(System.getProperty("kelmu.project.dir", "."), "samples/get-benefit-data.xml").toString();
        return new ClientKit(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {
                    "--url", url, "--keystore", pki.resolve("organisations/" + businessId + ".p12").toString(),
                    "--password", "sandbox", "--user-id", "FI010594Y9032", "--request", request,
                    "--trust", pki.resolve("truststore.p12").toString(), "--trust-password", "sandbox"});
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
