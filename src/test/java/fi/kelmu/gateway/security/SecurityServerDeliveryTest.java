package fi.kelmu.gateway.security;

import static fi.kelmu.gateway.support.TestData.HVA;
import static fi.kelmu.gateway.support.TestData.VALID_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.support.MutableClock;
import fi.kelmu.gateway.support.Signing;
import fi.kelmu.gateway.support.SoapHttp;
import fi.kelmu.gateway.support.TestGateway;
import fi.kelmu.gateway.xml.Dom;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link SecurityServerDelivery} on its own (X-Road mode, docs/security.md): only the pinned security server
 * certificates, valid now, deliver a request; a request's own WS-Security header is refused; what a delivered
 * message covers is its Body and its header elements, by identity.
 */
class SecurityServerDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-11-02T08:30:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final X509Certificate securityServer = certificate("CN=security server", NOW.minusSeconds(3600),
            NOW.plus(Duration.ofDays(30)));
    private final SecurityServerDelivery delivery = new SecurityServerDelivery(List.of(securityServer), clock);

    @Test
    void requestFromAConfiguredSecurityServerIsDeliveredWithBodyAndHeadersCovered() {
        Document request = SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST));
        VerifiedMessage message = delivery.verify(request, securityServer);

        assertSame(securityServer, message.securityServer().orElseThrow());
        assertEquals(NOW, message.created());
        Element envelope = request.getDocumentElement();
        assertTrue(message.covers(Dom.firstChild(envelope, Dom.SOAP_NS, "Body")));
        for (Element header : Dom.children(Dom.soapHeader(envelope))) {
            assertTrue(message.covers(header), header.getLocalName());
        }
        // only direct children: an element inside the Body is not a part of its own
        assertTrue(!message.covers((Element) request.getElementsByTagNameNS("urn:fi:kelmu:benefit:v1", "clientId").item(0)));
        assertThrows(IllegalStateException.class, message::certificate, "a delivered message has no signer");
    }

    @Test
    void anotherCertificateIsNotASecurityServerEvenOfTheSameSubject() {
        X509Certificate lookalike = certificate("CN=security server", NOW.minusSeconds(3600), NOW.plus(Duration.ofDays(30)));
        assertRefused(() -> delivery.verify(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)), lookalike),
                FaultCode.UNTRUSTED_SECURITY_SERVER, "is not a configured security server's");
    }

    @Test
    void organisationsCertificateIsNotASecurityServer() {
        assertRefused(() -> delivery.verify(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)),
                Signing.signerOf(HVA).certificate()), FaultCode.UNTRUSTED_SECURITY_SERVER, "is not a configured");
    }

    @Test
    void connectionWithoutAClientCertificateIsRefused() {
        assertRefused(() -> delivery.verify(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)), null),
                FaultCode.UNTRUSTED_SECURITY_SERVER, "no TLS client certificate");
    }

    @Test
    void expiredSecurityServerCertificateIsRefused() {
        clock.set(NOW.plus(Duration.ofDays(31)));
        assertRefused(() -> delivery.verify(SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST)), securityServer),
                FaultCode.UNTRUSTED_SECURITY_SERVER, "is not valid now");
    }

    @Test
    void requestWithAWsSecurityHeaderIsRefused() {
        Document signed = Signing.signedDocument(VALID_REQUEST, Signing.signerOf(HVA));
        assertRefused(() -> delivery.verify(signed, securityServer), FaultCode.SECURITY_HEADER_NOT_EXPECTED,
                "wsse:Security");
    }

    @Test
    void securityHeaderAnywhereInTheMessageIsRefused() {
        Document request = SoapHttp.parse(SoapHttp.fixture(VALID_REQUEST));
        Element operation = Dom.children(Dom.firstChild(request.getDocumentElement(), Dom.SOAP_NS, "Body")).get(0);
        operation.appendChild(request.createElementNS(Dom.WSSE_NS, "wsse:Security"));
        assertRefused(() -> delivery.verify(request, securityServer), FaultCode.SECURITY_HEADER_NOT_EXPECTED,
                "wsse:Security");
    }

    @Test
    void noSecurityServerConfiguredIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new SecurityServerDelivery(List.of(), clock));
    }

    private static X509Certificate certificate(String subject, Instant notBefore, Instant notAfter) {
        SandboxPki pki = TestGateway.pki();
        KeyPair keys = PkiBuilder.rsa(2048);
        var ca = SecurityMaterial.keyStore(pki.caKeyStore(), SandboxPki.PASSWORD);
        try {
            return PkiBuilder.issue(subject, keys.getPublic(), (X509Certificate) ca.getCertificate(SandboxPki.CA_ALIAS),
                    (java.security.PrivateKey) ca.getKey(SandboxPki.CA_ALIAS, SandboxPki.PASSWORD), notBefore, notAfter,
                    null, null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(Executable step, FaultCode code, String reason) {
        GatewayException e = assertThrows(GatewayException.class, step);
        assertEquals(code, e.faultCode(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), () -> "logged reason: " + e.getMessage());
    }
}
