package fi.kelmu.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fi.kelmu.gateway.support.TestData.ETUUSTIEDOT;
import static fi.kelmu.gateway.support.TestData.HELSINKI;
import static fi.kelmu.gateway.support.TestData.HELSINKI_USER;
import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.KESKI_UUSIMAA;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_ESPOO;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HANKO;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_HELSINKI;
import static fi.kelmu.gateway.support.TestData.LIVES_IN_VANTAA;
import static fi.kelmu.gateway.support.TestData.MUUT_ETUUDET;
import static fi.kelmu.gateway.support.TestData.REVOKED_USER;
import static fi.kelmu.gateway.support.TestData.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.Gateway;
import fi.kelmu.gateway.GatewayApplication;
import fi.kelmu.gateway.GatewaySettings;
import fi.kelmu.gateway.audit.AccessOutcome;
import fi.kelmu.gateway.audit.AccessReceipt;
import fi.kelmu.gateway.audit.AccessRecord;
import fi.kelmu.gateway.audit.Checkpoint;
import fi.kelmu.gateway.audit.Database;
import fi.kelmu.gateway.audit.JdbcCheckpointStore;
import fi.kelmu.gateway.audit.StoredAccessRecord;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.BenefitRequests;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.Mandates;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The deployment behind an X-Road security server (issue 9 item 5, docs/security.md): plain SOAP over TLS from a
 * configured security server is served for the organisation its client header names, which must still be
 * registered and in contract, with mandates, policy, scoping and the access log exactly as in WS-Security mode.
 * A connection from anything else, or a request that brings its own WS-Security header, is refused before any
 * backend is asked. The sandbox's demo security server key is the configured one; the backend simulator answers
 * behind WireMock, which shows what the backend was asked.
 */
class XRoadModeTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().withSimulatorProxy()
            .properties(Map.of("kelmu.security.mode", "xroad-security-server", "kelmu.tls.enabled", "true",
                    "kelmu.tls.client-auth", "need"))
            .withOwnAccessLog()
            .build();



    @Test
    void plainRequestFromTheSecurityServerIsAnsweredForTheClientHeadersOrganisation() {
        Document request = BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET);
        SoapHttp.Response response = send(securityServer(), request);

        assertEquals(200, response.status(), response.bodyText());
        Document answer = response.document();
        assertEquals(List.of(LIVES_IN_HANKO), BenefitRequests.texts(answer, "clientId"));
        // the security servers sign: the answer carries no WS-Security header, and echoes the request's headers
        assertEquals(0, SoapHttp.count(answer, Dom.WSSE_NS, "Security"));
        assertEquals(BenefitRequests.xroadId(request), SoapHttp.text(answer, XRoadHeaders.NS, "id"));
        assertNotNull(SoapHttp.text(answer, XRoadHeaders.NS, "requestHash"));
        // the access log records the organisation the client header named, allowed
        AccessRecord record = accessRecord(response);
        assertEquals(AccessOutcome.ALLOWED, record.outcome());
        assertEquals(HVA, record.organisationId());
        assertEquals("FI" + USER, record.userId());
        assertEquals(LIVES_IN_HANKO, record.personId());
        assertTrue(record.mandateProof().startsWith("online:"), record.mandateProof());
        // and the answer gives its receipt (unsigned by the gateway here: the security servers sign the message)
        Element receipt = AccessReceiptHeader.of(answer);
        assertNotNull(receipt, "the answer carries its access receipt in X-Road mode too");
        assertEquals(AccessReceipt.of(storedRecord(response)), AccessReceiptHeader.read(receipt));
    }

    @Test
    void tlsClientThatIsNotAConfiguredSecurityServerIsRefused() {
        // a certificate the TLS trust store accepts (the organisation's own, of the same CA) is still no security server
        SoapHttp.Response response = send(tlsClient(Signing.keyStoreOf(HVA)),
                BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET));
        assertRefused(response, FaultCode.UNTRUSTED_SECURITY_SERVER);
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void connectionWithoutAClientCertificateIsRefusedInTheHandshake() {
        assertThrows(UncheckedIOException.class,
                () -> send(tlsClient(null), BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)));
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void clientCertificateOfAnUntrustedIssuerIsRefusedInTheHandshake() throws Exception {
        KeyPair keys = PkiBuilder.rsa(2048);
        Instant now = Instant.now();
        X509Certificate self = PkiBuilder.selfSignedCa("CN=rogue security server", keys, now.minusSeconds(60),
                now.plusSeconds(3600));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("rogue", keys.getPrivate(), SandboxPki.PASSWORD, new X509Certificate[] {self});
        assertThrows(UncheckedIOException.class,
                () -> send(tlsClient(store), BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)));
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void requestWithItsOwnWsSecurityHeaderIsRefused() {
        byte[] signed = BenefitRequests.signed(BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET));
        SoapHttp.Response response = SoapHttp.post(securityServer(), GATEWAY.serviceUrl(), signed, null);
        assertRefused(response, FaultCode.SECURITY_HEADER_NOT_EXPECTED);
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unregisteredOrganisationIsRefused() {
        assertRefused(send(securityServer(), BenefitRequests.benefitData("9000010-0", USER, LIVES_IN_HANKO,
                MUUT_ETUUDET)), FaultCode.UNKNOWN_ORGANISATION);
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void organisationWithoutAContractInForceIsRefused() {
        assertRefused(send(securityServer(), BenefitRequests.benefitData(KESKI_UUSIMAA, USER, LIVES_IN_HANKO,
                MUUT_ETUUDET)), FaultCode.NO_VALID_CONTRACT);
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void userWithoutAMandateIsRefusedAndTheRefusalIsLogged() {
        SoapHttp.Response response = send(securityServer(),
                BenefitRequests.benefitData(HVA, REVOKED_USER, LIVES_IN_HANKO, MUUT_ETUUDET));
        assertRefused(response, FaultCode.MANDATE_MISSING);
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
        AccessRecord record = accessRecord(response);
        assertEquals(AccessOutcome.REFUSED, record.outcome());
        assertEquals(FaultCode.MANDATE_MISSING, record.faultCode());
        assertEquals(HVA, record.organisationId());
    }

    @Test
    void mandateAssertionInTheHeaderIsHonoured() {
        Document request = BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET);
        Mandates.addTo(request, Mandates.assertion(USER, HVA, ETUUSTIEDOT));
        SoapHttp.Response response = send(securityServer(), request);
        assertEquals(200, response.status(), response.bodyText());
        assertTrue(accessRecord(response).mandateProof().startsWith("assertion:"));
    }

    @Test
    void mandateAssertionOutsideTheHeaderIsRefusedAsWrapping() {
        Document request = BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET);
        Element operation = (Element) request.getElementsByTagNameNS(fi.kelmu.gateway.support.TestData.BENEFIT_NS,
                "getBenefitData").item(0);
        operation.appendChild(request.importNode(Mandates.assertion(USER, HVA, ETUUSTIEDOT).getDocumentElement(), true));
        assertRefused(send(securityServer(), request), FaultCode.INVALID_MANDATE_ASSERTION);
        GATEWAY.simulatorProxy().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void clientOutsideTheCallersAreaIsRefusedAsInWsSecurityMode() {
        // answered as an unknown client (fault table 8); the access log keeps the precise reason
        SoapHttp.Response hva = send(securityServer(), BenefitRequests.benefitData(HVA, USER, LIVES_IN_VANTAA,
                MUUT_ETUUDET));
        assertRefused(hva, FaultCode.UNKNOWN_CLIENT);
        assertEquals(FaultCode.CLIENT_OUTSIDE_AREA, accessRecord(hva).faultCode());
        assertRefused(send(securityServer(), BenefitRequests.benefitData(HELSINKI, HELSINKI_USER, LIVES_IN_ESPOO,
                MUUT_ETUUDET)), FaultCode.UNKNOWN_CLIENT);
        assertEquals(200, send(securityServer(), BenefitRequests.benefitData(HELSINKI, HELSINKI_USER,
                LIVES_IN_HELSINKI, MUUT_ETUUDET)).status());
    }

    @Test
    void sameMessageIdOfTheSameClientIsRefusedAsAReplay() {
        Document request = BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET);
        assertEquals(200, send(securityServer(), request).status());
        assertRefused(send(securityServer(), request), FaultCode.REPLAYED_MESSAGE);
    }

    @Test
    void clientKitSendsAsTheSecurityServerAndIsAnswered() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        SandboxPki pki = TestGateway.pki();
        int status = new fi.kelmu.gateway.clientkit.ClientKit(new java.io.PrintStream(out, true, "UTF-8"),
                new java.io.PrintStream(err, true, "UTF-8"), Map.of()).run(new String[] {
                    "--security-server", pki.securityServerKeyStore().toString(), "--security-server-password", "sandbox",
                    "--client", HVA, "--subsystem", "sosiaalipalvelut", "--user-id", "FI" + USER,
                    "--request", Path.of("samples/get-benefit-data.xml").toString(),
                    "--tls-trust", pki.trustStore().toString(), "--tls-trust-password", "sandbox",
                    "--url", GATEWAY.serviceUrl()});
        assertEquals(0, status, err.toString("UTF-8"));
        assertTrue(out.toString("UTF-8").contains("getBenefitDataResponse"), out.toString("UTF-8"));
        assertTrue(err.toString("UTF-8").contains("not WS-Security signed"), err.toString("UTF-8"));
    }

    @Test
    void xRoadModeRefusesToStartWithoutRequiredTlsClientCertificates() {
        for (Map<String, String> tls : List.of(Map.of("kelmu.tls.enabled", "false"),
                Map.of("kelmu.tls.enabled", "true", "kelmu.tls.client-auth", "want"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> startAnother(tls).close());
            assertTrue(e.getMessage().contains("kelmu.tls.client-auth=need"), e.getMessage());
        }
    }

    @Test
    void xRoadModeRefusesToStartWithoutAConfiguredSecurityServer() throws Exception {
        Path empty = java.nio.file.Files.createTempFile("no-security-servers", ".p12");
        PkiBuilder.writeTrustStore(empty, Map.of(), SandboxPki.PASSWORD);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> startAnother(Map.of("kelmu.xroad.security-servers.file", empty.toString())).close());
        assertTrue(e.getMessage().contains("no security server"), e.getMessage());
    }

    /** Answers are not signed here, but the access log's checkpoints are: with the gateway's own key. */
    @Test
    void xRoadModeRefusesToStartWithoutTheGatewaysKeyForTheAccessLogsCheckpoints() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> startAnother(Map.of("kelmu.security.gateway-keystore.file", "")).close());
        assertTrue(e.getMessage().contains("kelmu.security.gateway-keystore.file"), e.getMessage());
    }

    @Test
    void xRoadModeSignsTheAccessLogsCheckpointsWithTheGatewaysKey() throws Exception {
        Gateway other = startAnother(Map.of());
        try {
            SoapHttp.Response response = SoapHttp.post(securityServer(), other.serviceUrl(),
                    Signing.serialise(BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)), null);
            assertEquals(200, response.status(), response.bodyText());
        } finally {
            other.close(); // the last checkpoint is written as it stops
        }
        try (Database log = Database.open(GatewaySettings.database(other.config()))) {
            Checkpoint checkpoint = new JdbcCheckpointStore(log.dataSource()).latest()
                    .orElseThrow(() -> new AssertionError("no checkpoint written in X-Road mode"));
            assertEquals(1, checkpoint.sequence());
            X509Certificate gatewayCertificate = GatewayApplication.gatewayCertificates(other.config()).get(0);
            assertTrue(checkpoint.verifiedBy(gatewayCertificate), "signed with kelmu.security.gateway-keystore's key");
        }
    }

    @Test
    void wsSecurityModeStillRequiresTheSignatureOfARequestFromASecurityServer() throws Exception {
        try (Gateway signedMode = startAnother(Map.of("kelmu.security.mode", "ws-security"))) {
            SoapHttp.Response response = SoapHttp.post(securityServer(), signedMode.serviceUrl(),
                    Signing.serialise(BenefitRequests.benefitData(HVA, USER, LIVES_IN_HANKO, MUUT_ETUUDET)), null);
            assertRefused(response, FaultCode.SIGNATURE_REQUIRED);
        }
    }

    // --- helpers

    /** Another sandbox gateway in X-Road mode with its own simulators, {@code overrides} on top. */
    private static Gateway startAnother(Map<String, String> overrides) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(Map.of("kelmu.security.mode", "xroad-security-server",
                "kelmu.tls.enabled", "true", "kelmu.tls.client-auth", "need"));
        config.putAll(overrides);
        return TestGateway.startSandbox(config);
    }

    private static SoapHttp.Response send(java.net.http.HttpClient client, Document request) {
        return SoapHttp.post(client, GATEWAY.serviceUrl(), Signing.serialise(request), null);
    }

    /** The sandbox's demo security server: its TLS client key, the one the gateway is configured to trust. */
    private static java.net.http.HttpClient securityServer() {
        return tlsClient(SecurityMaterial.keyStore(TestGateway.pki().securityServerKeyStore(), SandboxPki.PASSWORD));
    }

    /** An HTTPS client trusting the sandbox CA, presenting the key in {@code keys} (or none). */
    private static java.net.http.HttpClient tlsClient(KeyStore keys) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD));
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, SandboxPki.PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return java.net.http.HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one access-log record of the response's request. */
    private static AccessRecord accessRecord(SoapHttp.Response response) {
        return storedRecord(response).record();
    }

    private static StoredAccessRecord storedRecord(SoapHttp.Response response) {
        List<StoredAccessRecord> records = GATEWAY.storedAccessRecordsOf(response.correlationId());
        assertEquals(1, records.size(), "access-log records of correlation id " + response.correlationId());
        return records.get(0);
    }

    private static void assertRefused(SoapHttp.Response response, FaultCode code) {
        assertEquals(500, response.status(), response.bodyText());
        assertEquals("soap:" + code.code(), response.faultCode().strip(), response.bodyText());
        assertNotNull(response.correlationId());
    }
}
