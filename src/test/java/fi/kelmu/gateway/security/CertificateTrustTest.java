package fi.kelmu.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.sandbox.PkiBuilder;
import fi.kelmu.gateway.support.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate trust: chain, validity, revocation, and revocations published while running. */
class CertificateTrustTest {

    private final KeyPair caKeys = PkiBuilder.rsa(2048);
    private final Instant now = Instant.parse("2026-06-01T12:00:00Z");
    private X509Certificate ca;
    private X509Certificate member;
    private KeyStore trustStore;
    private MutableClock clock;

    @BeforeEach
    void pki() throws Exception {
        ca = PkiBuilder.selfSignedCa("CN=Test CA, C=FI", caKeys, now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(10)));
        member = PkiBuilder.issue(PkiBuilder.organisationDn("Member", "9000001-1", false), PkiBuilder.rsa(2048).getPublic(),
                ca, caKeys.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), null, null);
        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca);
        clock = new MutableClock(now);
    }

    @Test
    void certificateOfTheTrustedCaIsTrusted() {
        new CertificateTrust(trustStore, List.of(), false, Duration.ZERO, clock).verify(member);
    }

    @Test
    void expiredCertificateIsRefusedWithItsReason() {
        clock.set(now.plus(Duration.ofDays(2)));
        GatewayException e = assertThrows(GatewayException.class,
                () -> new CertificateTrust(trustStore, List.of(), false, Duration.ZERO, clock).verify(member));
        assertEquals(FaultCode.CERTIFICATE_EXPIRED, e.faultCode());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void withRevocationOnACertificateWithoutACrlIsRefused() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> new CertificateTrust(trustStore, List.of(), true, Duration.ZERO, clock).verify(member));
        assertEquals(FaultCode.UNTRUSTED_CERTIFICATE, e.faultCode());
    }

    @Test
    void revocationPublishedWhileRunningTakesEffectAfterTheRefreshInterval(@TempDir Path dir) throws Exception {
        Path crlFile = dir.resolve("ca.crl.pem");
        PkiBuilder.writePem(crlFile, PkiBuilder.crl(ca, caKeys.getPrivate(), List.of(), now.minusSeconds(60),
                now.plus(Duration.ofDays(7))));
        CrlSource source = new CrlSource(List.of(crlFile), Duration.ofSeconds(30), clock);
        CertificateTrust trust = new CertificateTrust(trustStore, source::current, true, Duration.ZERO, clock);
        trust.verify(member);

        PkiBuilder.writePem(crlFile, PkiBuilder.crl(ca, caKeys.getPrivate(), List.of(member.getSerialNumber()),
                now.minusSeconds(60), now.plus(Duration.ofDays(7))));
        Files.setLastModifiedTime(crlFile, FileTime.from(now.plusSeconds(1)));
        clock.set(now.plusSeconds(31));

        GatewayException e = assertThrows(GatewayException.class, () -> trust.verify(member));
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    }
}
