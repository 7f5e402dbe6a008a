package fi.kelmu.gateway.security;

import static fi.kelmu.gateway.support.TestData.HVA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.GatewayExtension;
import fi.kelmu.gateway.support.SandboxTls;
import fi.kelmu.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS on the listener with optional client certificates: when both a TLS client certificate and a message
 * signature are present, they must name the same organisation.
 */
class TlsTransportTest {


    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.sandbox().properties(TlsTransportTest::tls).build();

    /** TLS with a server certificate of the sandbox CA, client certificates wanted and trusted by the same CA. */
    private static Map<String, String> tls(Path dir) throws Exception {
        Path tlsKeys = SandboxTls.localhostKeyStore(dir, "tls.p12");
        SandboxPki pki = TestGateway.pki();
        return Map.of(
                "kelmu.tls.enabled", "true",
                "kelmu.tls.keystore.file", tlsKeys.toString(),
                "kelmu.tls.keystore.password", "sandbox",
                "kelmu.tls.client-auth", "want",
                "kelmu.tls.truststore.file", pki.trustStore().toString(),
                "kelmu.tls.truststore.password", "sandbox");
    }

    @Test
    void sameOrganisationInTlsCertificateAndSignatureIsAccepted() throws Exception {
        assertEquals(200, post(client(HVA), Signing.signedFixture("get-benefit-data-hva.xml", HVA)).statusCode());
    }

    @Test
    void signedRequestWithoutAClientCertificateIsAcceptedWhenClientAuthIsWanted() throws Exception {
        assertEquals(200, post(client(null), Signing.signedFixture("get-benefit-data-hva.xml", HVA)).statusCode());
    }

    @Test
    void tlsCertificateOfAnotherOrganisationThanTheSignatureIsRejected() throws Exception {
        HttpResponse<byte[]> response = post(client("9000005-4"), Signing.signedFixture("get-benefit-data-hva.xml", HVA));
        assertEquals(500, response.statusCode());
        assertEquals("soap:Client.OrganisationMismatch",
                SoapHttp.text(SoapHttp.parse(response.body()), null, "faultcode").strip());
    }

    private static HttpResponse<byte[]> post(HttpClient client, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(GATEWAY.serviceUrl()))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An HTTPS client trusting the sandbox CA, presenting {@code businessId}'s certificate (or none). */
    private static HttpClient client(String businessId) throws Exception {
        TrustManagerFactory tmf = SandboxTls.trustingTheSandboxCa();
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (businessId != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(Signing.keyStoreOf(businessId), SandboxPki.PASSWORD);
        }
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
