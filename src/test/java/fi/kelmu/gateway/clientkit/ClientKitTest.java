package fi.kelmu.gateway.clientkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.support.FreePort;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The client kit signs, sends and verifies; an answer it cannot verify is never reported as good. */
class ClientKitTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().build();

    @RegisterExtension
    static WireMockExtension impostor = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).failOnUnmatchedRequests(true).build();

    private static final String SERVICE_PATH = "/ws/BenefitInformationService";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void signedRequestIsAnsweredAndTheGatewaySignatureAndRequestHashVerify() {
        int status = run(Map.of(), "--url", GATEWAY.serviceUrl());
        assertEquals(0, status, err());
        assertTrue(err().contains("response signature verified"), err());
        assertTrue(out().contains("010180-9026"));
        assertTrue(Pattern.compile("client: access receipt [1-9][0-9]*:[0-9a-f]{64} \\(covered by the verified"
                + " signature\\)").matcher(err()).find(), err());
    }

    @Test
    @DisplayName("with --trust, an answer with client data needs an access receipt the gateway's signature covers")
    void answerWithClientDataNeedsASignedReceipt(@TempDir Path folder) throws Exception {
        Path saved = folder.resolve("answer.xml");
        assertEquals(0, run(Map.of(), "--url", GATEWAY.serviceUrl(), "--save", saved.toString()), err());
        Document genuine = ClientKit.parse(Files.readAllBytes(saved));
        List<QName> echoed = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
        echoed.add(XRoadHeaders.REQUEST_HASH);

        // validly signed with the gateway's own key, but without the receipt
        Document withoutReceipt = (Document) genuine.cloneNode(true);
        Element receipt = AccessReceiptHeader.of(withoutReceipt);
        receipt.getParentNode().removeChild(receipt);
        assertEquals(2, runAgainst(gatewaySigner().sign(withoutReceipt, echoed, 300)));
        assertTrue(err().contains("the answer carries client data but no access receipt the gateway's signature covers"),
                err());

        // the receipt there, but outside the signature
        Document unsignedReceipt = (Document) genuine.cloneNode(true);
        assertEquals(2, runAgainst(gatewaySigner().sign(unsignedReceipt, echoed, 300)));
        assertTrue(err().contains("Client.PartNotSigned"), err());

        // and signed as the gateway signs it: acceptable (but for the requestHash, which is of another request)
        Document resigned = (Document) genuine.cloneNode(true);
        List<QName> withReceipt = new ArrayList<>(echoed);
        withReceipt.add(AccessReceiptHeader.QNAME);
        assertEquals(2, runAgainst(gatewaySigner().sign(resigned, withReceipt, 300)));
        assertTrue(err().contains("requestHash does not match this request"), err());
    }

    private static MessageSigner gatewaySigner() {
        return new MessageSigner(SecurityMaterial.keyStore(TestGateway.pki().gatewayKeyStore(), SandboxPki.PASSWORD),
                SandboxPki.GATEWAY_ALIAS, SandboxPki.PASSWORD);
    }

    /** The client kit against an impostor that answers with {@code answer}; standard error starts anew. */
    private int runAgainst(Document answer) throws Exception {
        impostor.stubFor(post(urlEqualTo("/ws")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(ClientKit.serialise(answer))));
        err.reset();
        out.reset();
        return run(Map.of(), "--url", impostor.baseUrl() + "/ws");
    }

    @Test
    void unsignedAnswerFromAnImpostorIsRejected() {
        impostor.stubFor(post(urlEqualTo("/ws")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody("""
                        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
                        <getBenefitDataResponse xmlns="urn:fi:kelmu:benefit:v1"><clientId>010180-9026</clientId>
                        <purpose>MUUT_ETUUDET</purpose></getBenefitDataResponse></s:Body></s:Envelope>""")));
        assertEquals(2, run(Map.of(), "--url", impostor.baseUrl() + "/ws"));
        assertTrue(err().contains("Client.SignatureRequired"), err());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertEquals(2, new ClientKit(new PrintStream(out), new PrintStream(err), Map.of())
                .run(new String[] {"--request", "x"}));
        assertTrue(err().contains("--user-id is required"), err());
        assertEquals(2, new ClientKit(new PrintStream(out), new PrintStream(err), Map.of())
                .run(new String[] {"--request", "x", "--user-id", "FI010594Y9032"}));
        assertTrue(err().contains("give --keystore (sign as the organisation) or --security-server"), err());
    }

    @Test
    @DisplayName("without --url the request goes to localhost at the port of KELMU_HTTP_PORT")
    void withoutUrlTheRequestGoesToThePortOfKelmuHttpPort() {
        int status = run(Map.of("KELMU_HTTP_PORT", Integer.toString(gatewayPort())));
        assertEquals(0, status, err());
        assertTrue(err().contains("response signature verified"), err());
    }

    @Test
    @DisplayName("--port wins over KELMU_HTTP_PORT")
    void portOptionWinsOverTheEnvironment() {
        int status = run(Map.of("KELMU_HTTP_PORT", "1"), "--port", Integer.toString(gatewayPort()));
        assertEquals(0, status, err());
    }

    @Test
    @DisplayName("the default URL is BenefitInformationService on localhost:8080 when nothing says otherwise")
    void defaultUrlIsPort8080() {
        assertEquals(URI.create("http://localhost:8080" + SERVICE_PATH), ClientKit.serviceUrl(Map.of(), Map.of()));
        assertEquals(URI.create("http://localhost:8080" + SERVICE_PATH),
                ClientKit.serviceUrl(Map.of(), Map.of("KELMU_HTTP_PORT", " ")));
    }

    @Test
    @DisplayName("--url is used as given, whatever the port settings")
    void urlIsUsedAsGiven() {
        assertEquals(URI.create("https://gw.example:9443/ws/AccessService"), ClientKit.serviceUrl(
                Map.of("url", "https://gw.example:9443/ws/AccessService"), Map.of("KELMU_HTTP_PORT", "9090")));
    }

    @Test
    @DisplayName("--url together with --port is a usage error")
    void urlAndPortTogetherAreAUsageError() {
        assertEquals(2, run(Map.of(), "--url", GATEWAY.serviceUrl(), "--port", "8080"));
        assertTrue(err().contains("give --url or --port, not both"), err());
        assertTrue(err().contains("usage:"), err());
    }

    @ParameterizedTest(name = "--port {0}")
    @ValueSource(strings = {"0", "65536", "eighty", "-1", ""})
    @DisplayName("a --port that is not a port number is a usage error")
    void portThatIsNotAPortNumberIsAUsageError(String port) {
        assertEquals(2, run(Map.of(), "--port", port));
        assertTrue(err().contains("--port " + port + " is not a port number"), err());
    }

    @Test
    @DisplayName("a KELMU_HTTP_PORT that is not a port number is a usage error naming the variable")
    void environmentPortThatIsNotAPortNumberIsAUsageError() {
        assertEquals(2, run(Map.of("KELMU_HTTP_PORT", "http")));
        assertTrue(err().contains("KELMU_HTTP_PORT http is not a port number"), err());
    }

    @Test
    @DisplayName("a --url that is not an http URL is a usage error")
    void urlThatIsNotHttpIsAUsageError() {
        assertThrows(IllegalArgumentException.class, () -> ClientKit.serviceUrl(Map.of("url", "localhost:8080"),
                Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ClientKit.serviceUrl(Map.of("url", "http://"), Map.of()));
    }

    @Test
    @DisplayName("when nothing listens, a plain message names the URL and the exit status is 2")
    void whenNothingListensAPlainMessageNamesTheUrl() throws Exception {
        int port = FreePort.find();
        assertEquals(2, run(Map.of("KELMU_HTTP_PORT", Integer.toString(port))));
        assertEquals("client: cannot connect to http://localhost:" + port + SERVICE_PATH + ": connection refused",
                err().strip(), err());
        assertEquals("", out());
    }

    @Test
    @DisplayName("an unknown host is named as such")
    void unknownHostIsNamed() {
        assertEquals(2, run(Map.of(), "--url", "http://kelmu-gateway.invalid:8080" + SERVICE_PATH));
        assertEquals("client: cannot connect to http://kelmu-gateway.invalid:8080" + SERVICE_PATH
                + ": unknown host kelmu-gateway.invalid", err().strip(), err());
    }

    @Test
    @DisplayName("--save writes the answer's bytes as received, and their signature verifies")
    void savedAnswerVerifies(@TempDir Path folder) throws Exception {
        Path saved = folder.resolve("answer.xml");
        assertEquals(0, run(Map.of(), "--url", GATEWAY.serviceUrl(), "--save", saved.toString()), err());

        byte[] bytes = Files.readAllBytes(saved);
        assertTrue(err().contains("answer saved to " + saved + " exactly as received (" + bytes.length + " bytes)"),
                err());
        Document answer = ClientKit.parse(bytes);
        VerifiedMessage verified = ClientKit.verifySignature(answer, trust());
        Element body = (Element) answer.getElementsByTagNameNS(Dom.SOAP_NS, "Body").item(0);
        assertTrue(verified.covers(body), "the gateway's signature covers the saved Body");
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("010180-9026"));
    }

    @Test
    @DisplayName("the printed answer is re-indented, so only the saved one is proof")
    void printedAnswerIsReindentedAndDoesNotVerify(@TempDir Path folder) throws Exception {
        Path saved = folder.resolve("answer.xml");
        assertEquals(0, run(Map.of(), "--url", GATEWAY.serviceUrl(), "--save", saved.toString()), err());
        byte[] printed = out.toByteArray();
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(saved), printed));
        assertThrows(Exception.class, () -> ClientKit.verifySignature(ClientKit.parse(printed), trust()));
    }

    @Test
    @DisplayName("--save keeps an answer that does not verify too, and the exit status says it did not")
    void answerThatDoesNotVerifyIsSavedAsReceived(@TempDir Path folder) throws Exception {
        String impostorAnswer = """
                <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
                <getBenefitDataResponse xmlns="urn:fi:kelmu:benefit:v1"><clientId>010180-9026</clientId>
                </getBenefitDataResponse></s:Body></s:Envelope>""";
        impostor.stubFor(post(urlEqualTo("/ws")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(impostorAnswer)));
        Path saved = folder.resolve("answer.xml");
        assertEquals(2, run(Map.of(), "--url", impostor.baseUrl() + "/ws", "--save", saved.toString()));
        assertArrayEquals(impostorAnswer.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(saved));
    }

    @Test
    @DisplayName("the usage text names --port, --save and KELMU_HTTP_PORT")
    void usageNamesPortSaveAndTheEnvironment() {
        String usage = ClientKit.usage();
        assertTrue(usage.contains("--port N"), usage);
        assertTrue(usage.contains("--save"), usage);
        assertTrue(usage.contains("KELMU_HTTP_PORT"), usage);
    }

    private static int gatewayPort() {
        return URI.create(GATEWAY.serviceUrl()).getPort();
    }

    private static Map<String, String> trust() {
        Path pki = TestGateway.pki().directory();
        return Map.of("trust", pki.resolve("truststore.p12").toString(), "trust-password", "sandbox");
    }

    /** The client kit with the README's first request, signed by Länsi-Uudenmaan hyvinvointialue. */
    private int run(Map<String, String> environment, String... extra) {
        Path pki = TestGateway.pki().directory();
        String request = Path.of(System.getProperty("kelmu.project.dir", "."), "samples/get-benefit-data.xml").toString();
        List<String> args = new ArrayList<>(List.of(
                "--keystore", pki.resolve("organisations/9000001-1.p12").toString(),
                "--password", "sandbox", "--user-id", "FI010594Y9032", "--request", request,
                "--trust", pki.resolve("truststore.p12").toString(), "--trust-password", "sandbox"));
        args.addAll(List.of(extra));
        return new ClientKit(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment).run(args.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
