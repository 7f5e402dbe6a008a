package fi.kelmu.gateway.sandbox;

import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.security.SecurityMaterial;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxPkiTest {

    private static final List<SandboxPki.Member> MEMBERS = List.of(
            new SandboxPki.Member("9000005-4", "Espoon kaupunki (demo)"),
            new SandboxPki.Member("9000001-1", "Länsi-Uudenmaan hyvinvointialue (demo)"),
            new SandboxPki.Member("9000003-8", "Helsingin kaupunki (demo)"),
            new SandboxPki.Member("0201256-6", "Vantaan ja Keravan hyvinvointialue (demo)"));
    private static final char[] PASSWORD = "sandbox".toCharArray();

    @TempDir
    static Path shared;
    private static SandboxPki pki;

    @BeforeAll
    static void generate() {
        pki = SandboxPki.ensure(shared.resolve("sandbox/pki"), MEMBERS);
    }

    @Test
    void securityServerTrustStorePinsTheDemoSecurityServersCertificate() throws Exception {
        X509Certificate server = (X509Certificate) SecurityMaterial.keyStore(pki.securityServerKeyStore(), PASSWORD)
                .getCertificate(SandboxPki.SECURITY_SERVER_ALIAS);
        assertEquals(List.of(server), SecurityMaterial.certificates(
                SecurityMaterial.keyStore(pki.securityServerTrustStore(), PASSWORD)));
        assertTrue(SandboxPki.isSandboxCertificate(server), "marked SANDBOX, so production refuses it");
        X509Certificate tls = (X509Certificate) SecurityMaterial.keyStore(pki.tlsKeyStore(), PASSWORD)
                .getCertificate(SandboxPki.TLS_ALIAS);
        assertTrue(tls.getSubjectX500Principal().getName().startsWith("CN=localhost"));
        assertTrue(SandboxPki.isSandboxCertificate(tls));
    }

    @Test
    void ensureCreatesEveryFileOfTheSandboxPki() {
        Path dir = shared.resolve("sandbox/pki");
        List<String> expected = List.of("ca.p12", "ca.pem", "ca.crl.pem", "truststore.p12", "gateway.p12",
                "gateway.pem", "gateway-cert.pem", "gateway-rsa.p12", "gateway-rsa.pem", "gateway-rsa-cert.pem",
                "mandate-issuer.p12", "mandate-issuer.pem",
                "mandate-issuer-cert.pem", "mandate-issuers.p12", "tls.p12", "tls.pem", "security-server.p12",
                "security-server.pem", "security-servers.p12", "README.txt", "organisations/9000005-4.p12",
                "organisations/9000005-4.pem", "organisations/9000001-1.p12", "organisations/9000001-1.pem",
                "organisations/9000003-8.p12", "organisations/9000003-8.pem", "organisations/0201256-6.p12",
                "organisations/0201256-6.pem");
        for (String name : expected) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
        assertEquals(expected.size(), filesUnder(dir).size(), "nothing else, no temporary files: " + filesUnder(dir));
        assertEquals(dir, pki.directory());
        assertEquals(List.of(dir.resolve("ca.p12"), dir.resolve("ca.pem"), dir.resolve("ca.crl.pem"),
                        dir.resolve("truststore.p12"), dir.resolve("organisations/9000005-4.p12"),
                        dir.resolve("organisations/9000005-4.pem"), dir.resolve("gateway.p12"),
                        dir.resolve("gateway.pem"), dir.resolve("gateway-cert.pem"), dir.resolve("mandate-issuer.p12"),
                        dir.resolve("mandate-issuer.pem"), dir.resolve("mandate-issuer-cert.pem"),
                        dir.resolve("mandate-issuers.p12"), dir.resolve("README.txt")),
                List.of(pki.caKeyStore(), pki.caCertificate(), pki.crl(), pki.trustStore(),
                        pki.organisationKeyStore("9000005-4"), pki.organisationPem("9000005-4"), pki.gatewayKeyStore(),
                        pki.gatewayPem(), pki.gatewayCertificate(), pki.mandateIssuerKeyStore(),
                        pki.mandateIssuerPem(), pki.mandateIssuerCertificate(), pki.mandateIssuerTrustStore(),
                        pki.readme()));
    }

    @Test
    void theCaIsAnRsa3072SandboxCaValidForTenYears() throws Exception {
        KeyStore store = PkiBuilder.loadPkcs12(pki.caKeyStore(), PASSWORD);
        X509Certificate ca = (X509Certificate) store.getCertificate("ca");

        assertTrue(store.isKeyEntry("ca"));
        assertEquals(ca, PkiBuilder.readCertificate(pki.caCertificate()));
        assertEquals("CN=kelmu-gateway SANDBOX demo CA, OU=KELMU SANDBOX, O=kelmu-gateway, C=FI",
                SandboxPki.CA_SUBJECT);
        assertEquals("CN=kelmu-gateway SANDBOX demo CA,OU=KELMU SANDBOX,O=kelmu-gateway,C=FI",
                ca.getSubjectX500Principal().getName());
        assertEquals(3072, ((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength());
        assertTrue(ca.getBasicConstraints() >= 0);
        assertEquals(3653, days(ca), 1);

        KeyStore trust = PkiBuilder.loadPkcs12(pki.trustStore(), PASSWORD);
        assertEquals(List.of("kelmu-sandbox-ca"), Collections.list(trust.aliases()));
        assertTrue(trust.isCertificateEntry("kelmu-sandbox-ca"));
        assertEquals(ca, trust.getCertificate("kelmu-sandbox-ca"));
    }

    @Test
    void theInitialCrlIsEmptySignedByTheCaAndValidForThirtyDays() throws Exception {
        X509CRL crl = PkiBuilder.readCrl(pki.crl());

        crl.verify(ca().getPublicKey());
        assertNull(crl.getRevokedCertificates());
        long days = Duration.between(Instant.now(), crl.getNextUpdate().toInstant()).toDays();
        assertTrue(days >= 29 && days <= 30, "next update in " + days + " days");
    }

    @Test
    void eachOrganisationKeyStoreHoldsItsKeyAndChainAndProvesItsBusinessId() throws Exception {
        X509Certificate ca = ca();
        for (SandboxPki.Member member : MEMBERS) {
            KeyStore store = PkiBuilder.loadPkcs12(pki.organisationKeyStore(member.businessId()), PASSWORD);
            assertEquals(List.of(member.businessId()), Collections.list(store.aliases()));
            Certificate[] chain = store.getCertificateChain(member.businessId());
            assertEquals(2, chain.length);
            X509Certificate cert = (X509Certificate) chain[0];
            assertEquals(ca, chain[1]);
            PrivateKey key = (PrivateKey) store.getKey(member.businessId(), PASSWORD);
            assertEquals(((RSAPublicKey) cert.getPublicKey()).getModulus(), ((RSAPrivateCrtKey) key).getModulus());
            assertEquals(2048, ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());

            assertEquals(Optional.of(member.businessId()), OrganisationIdentity.businessIdOf(cert));
            String subject = cert.getSubjectX500Principal().getName();
            assertTrue(subject.startsWith("CN=" + member.name() + ","), subject);
            assertTrue(subject.contains(",OU=KELMU SANDBOX,"), subject);
            assertTrue(subject.contains(",O=" + member.name() + ","), subject);
            assertTrue(subject.endsWith(",C=FI"), subject);
            assertEquals("SHA256withRSA", cert.getSigAlgName());
            assertEquals(730, days(cert), 1);
            validate(cert, PkiBuilder.loadPkcs12(pki.trustStore(), PASSWORD), null);

            assertEquals(cert, PkiBuilder.readCertificate(pki.organisationPem(member.businessId())));
            assertTrue(Files.readString(pki.organisationPem(member.businessId())).contains("BEGIN PRIVATE KEY"));
        }
    }

    @Test
    void theGatewayCertificateNamesTheGatewaysBusinessIdAndIsWhatCallersVerifyWith() throws Exception {
        KeyStore store = PkiBuilder.loadPkcs12(pki.gatewayKeyStore(), PASSWORD);
        X509Certificate cert = (X509Certificate) store.getCertificate("gateway");

        assertTrue(store.isKeyEntry("gateway"));
        assertEquals(cert, PkiBuilder.readCertificate(pki.gatewayCertificate()));
        assertEquals(cert, PkiBuilder.readCertificate(pki.gatewayPem()));
        assertFalse(Files.readString(pki.gatewayCertificate()).contains("PRIVATE KEY"));
        assertEquals(Optional.of("0246246-0"), OrganisationIdentity.businessIdOf(cert));
        assertTrue(cert.getSubjectX500Principal().getName().startsWith("CN=kelmu-gateway sandbox signing,"));
        validate(cert, PkiBuilder.loadPkcs12(pki.trustStore(), PASSWORD), null);
    }

    @Test
    void theMandateIssuerHasItsOwnKeyAndATrustStoreHoldingItsCertificate() throws Exception {
        KeyStore store = PkiBuilder.loadPkcs12(pki.mandateIssuerKeyStore(), PASSWORD);
        X509Certificate cert = (X509Certificate) store.getCertificate("mandate-issuer");
        KeyStore trust = PkiBuilder.loadPkcs12(pki.mandateIssuerTrustStore(), PASSWORD);

        assertTrue(store.isKeyEntry("mandate-issuer"));
        assertEquals("CN=kelmu-gateway sandbox mandate issuer,OU=KELMU SANDBOX,O=Sandbox Suomi.fi-valtuudet,C=FI",
                cert.getSubjectX500Principal().getName());
        assertEquals(cert, PkiBuilder.readCertificate(pki.mandateIssuerCertificate()));
        assertEquals(cert, PkiBuilder.readCertificate(pki.mandateIssuerPem()));
        assertEquals(List.of("mandate-issuer"), Collections.list(trust.aliases()));
        assertTrue(trust.isCertificateEntry("mandate-issuer"));
        assertEquals(cert, trust.getCertificate("mandate-issuer"));
    }

    @Test
    void theReadmeSaysTheseAreSandboxKeysWithAPublicPasswordNeverForProduction() throws IOException {
        String readme = Files.readString(pki.readme());

        assertTrue(readme.contains("SANDBOX"));
        assertTrue(readme.contains("demos and tests"));
        assertTrue(readme.contains("password: sandbox"));
        assertTrue(readme.contains("NEVER use them in production"));
    }

    @Test
    void privateKeyFilesAreReadableByTheOwnerOnly() throws Exception {
        for (Path file : List.of(pki.caKeyStore(), pki.gatewayKeyStore(), pki.gatewayPem(),
                pki.mandateIssuerKeyStore(), pki.mandateIssuerPem(), pki.organisationKeyStore("9000005-4"),
                pki.organisationPem("9000005-4"))) {
            PkiBuilderTest.assertOwnerOnlyWherePosix(file);
        }
    }

    @Test
    void ensuringAgainKeepsTheCaAndAddsOnlyTheNewOrganisation(@TempDir Path tmp) throws Exception {
        Path dir = copyOfShared(tmp);
        byte[] caBefore = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] caStoreBefore = Files.readAllBytes(dir.resolve("ca.p12"));
        byte[] espooBefore = Files.readAllBytes(dir.resolve("organisations/9000005-4.p12"));
        byte[] gatewayBefore = Files.readAllBytes(dir.resolve("gateway.p12"));
        byte[] crlBefore = Files.readAllBytes(dir.resolve("ca.crl.pem"));
        SandboxPki.Member added = new SandboxPki.Member("0101263-6", "Uusi kunta (demo)");

        SandboxPki again = SandboxPki.ensure(dir, Stream.concat(MEMBERS.stream(), Stream.of(added)).toList());

        assertArrayEquals(caBefore, Files.readAllBytes(again.caCertificate()));
        assertArrayEquals(caStoreBefore, Files.readAllBytes(again.caKeyStore()));
        assertArrayEquals(espooBefore, Files.readAllBytes(again.organisationKeyStore("9000005-4")));
        assertArrayEquals(gatewayBefore, Files.readAllBytes(again.gatewayKeyStore()));
        assertArrayEquals(crlBefore, Files.readAllBytes(again.crl()), "an unexpired CRL is kept");
        X509Certificate cert = (X509Certificate) PkiBuilder.loadPkcs12(again.organisationKeyStore("0101263-6"),
                PASSWORD).getCertificate("0101263-6");
        assertEquals(Optional.of("0101263-6"), OrganisationIdentity.businessIdOf(cert));
        assertTrue(Files.exists(again.organisationPem("0101263-6")));
        validate(cert, PkiBuilder.loadPkcs12(again.trustStore(), PASSWORD), null);
    }

    @Test
    void missingFilesDerivedFromExistingKeysAreRewrittenFromThoseKeys(@TempDir Path tmp) throws Exception {
        Path dir = copyOfShared(tmp);
        byte[] gatewayCert = Files.readAllBytes(dir.resolve("gateway-cert.pem"));
        byte[] espooPem = Files.readAllBytes(dir.resolve("organisations/9000005-4.pem"));
        for (String name : List.of("ca.pem", "truststore.p12", "gateway-cert.pem", "mandate-issuers.p12",
                "organisations/9000005-4.pem", "ca.crl.pem", "README.txt")) {
            Files.delete(dir.resolve(name));
        }

        SandboxPki again = SandboxPki.ensure(dir, MEMBERS);

        assertArrayEquals(gatewayCert, Files.readAllBytes(again.gatewayCertificate()));
        assertArrayEquals(espooPem, Files.readAllBytes(again.organisationPem("9000005-4")));
        assertEquals(ca(), PkiBuilder.readCertificate(again.caCertificate()));
        assertEquals(ca(), PkiBuilder.loadPkcs12(again.trustStore(), PASSWORD).getCertificate("kelmu-sandbox-ca"));
        assertEquals(PkiBuilder.readCertificate(again.mandateIssuerCertificate()),
                PkiBuilder.loadPkcs12(again.mandateIssuerTrustStore(), PASSWORD).getCertificate("mandate-issuer"));
        PkiBuilder.readCrl(again.crl()).verify(ca().getPublicKey());
        assertTrue(Files.exists(again.readme()));
    }

    @Test
    void withoutTheCaKeyStoreEverythingIsGeneratedAfreshUnderANewCa(@TempDir Path tmp) throws Exception {
        Path dir = copyOfShared(tmp);
        Files.delete(dir.resolve("ca.p12"));

        SandboxPki again = SandboxPki.ensure(dir, MEMBERS);

        X509Certificate newCa = PkiBuilder.readCertificate(again.caCertificate());
        assertNotEquals(ca(), newCa);
        X509Certificate espoo = PkiBuilder.readCertificate(again.organisationPem("9000005-4"));
        espoo.verify(newCa.getPublicKey());
        PkiBuilder.readCertificate(again.gatewayCertificate()).verify(newCa.getPublicKey());
        assertEquals(newCa, PkiBuilder.loadPkcs12(again.trustStore(), PASSWORD).getCertificate("kelmu-sandbox-ca"));
    }

    @Test
    void revokePutsTheOrganisationsSerialInTheCrlAndPkixThenRefusesIt(@TempDir Path tmp) throws Exception {
        SandboxPki copy = SandboxPki.ensure(copyOfShared(tmp), MEMBERS);
        X509Certificate espoo = organisationCertificate(copy, "9000005-4");
        X509Certificate vantaa = organisationCertificate(copy, "0201256-6");
        X509Certificate helsinki = organisationCertificate(copy, "9000003-8");

        copy.revoke("9000005-4");
        copy.revoke("0201256-6");

        X509CRL crl = PkiBuilder.readCrl(copy.crl());
        crl.verify(ca().getPublicKey());
        assertTrue(crl.isRevoked(espoo), "the first revocation is kept");
        assertTrue(crl.isRevoked(vantaa));
        assertFalse(crl.isRevoked(helsinki));
        assertEquals(2, crl.getRevokedCertificates().size());
        KeyStore trust = PkiBuilder.loadPkcs12(copy.trustStore(), PASSWORD);
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(espoo, trust, crl));
        assertEquals("REVOKED", e.getReason().toString());
        validate(helsinki, trust, crl);
    }

    @Test
    void revokingAnUnknownOrganisationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> pki.revoke("1234567-1"));
        assertThrows(IllegalArgumentException.class, () -> pki.revoke("../ca"));
    }

    @Test
    void anExpiredCrlIsReissuedAtLoadKeepingItsRevocations(@TempDir Path tmp) throws Exception {
        Path dir = copyOfShared(tmp);
        KeyStore caStore = PkiBuilder.loadPkcs12(dir.resolve("ca.p12"), PASSWORD);
        PrivateKey caKey = (PrivateKey) caStore.getKey("ca", PASSWORD);
        BigInteger serial = organisationCertificate(pki, "9000001-1").getSerialNumber();
        Instant longAgo = Instant.now().minus(Duration.ofDays(60));
        PkiBuilder.writePem(dir.resolve("ca.crl.pem"), PkiBuilder.crl(ca(), caKey, List.of(serial), longAgo,
                longAgo.plus(Duration.ofDays(30))));

        SandboxPki again = SandboxPki.ensure(dir, MEMBERS);

        X509CRL crl = PkiBuilder.readCrl(again.crl());
        crl.verify(ca().getPublicKey());
        assertTrue(crl.getNextUpdate().toInstant().isAfter(Instant.now().plus(Duration.ofDays(29))));
        assertNotNull(crl.getRevokedCertificate(serial));
        assertEquals(longAgo.getEpochSecond(),
                crl.getRevokedCertificate(serial).getRevocationDate().toInstant().getEpochSecond());
    }

    @Test
    void everyGeneratedCertificateIsRecognisedAsSandbox() throws Exception {
        List<X509Certificate> generated = List.of(ca(),
                PkiBuilder.readCertificate(pki.gatewayCertificate()),
                PkiBuilder.readCertificate(pki.mandateIssuerCertificate()),
                organisationCertificate(pki, "9000005-4"), organisationCertificate(pki, "9000001-1"),
                organisationCertificate(pki, "9000003-8"), organisationCertificate(pki, "0201256-6"));

        for (X509Certificate cert : generated) {
            assertTrue(SandboxPki.isSandboxCertificate(cert), cert.getSubjectX500Principal().getName());
        }
    }

    @Test
    void aCertificateIsSandboxWhenOnlyItsIssuerIsMarked() throws Exception {
        KeyStore caStore = PkiBuilder.loadPkcs12(pki.caKeyStore(), PASSWORD);
        Instant now = Instant.now();
        X509Certificate cert = PkiBuilder.issue(PkiBuilder.organisationDn("Real-looking Oy", "1234567-1", false),
                PkiBuilder.ec("secp256r1").getPublic(), ca(), (PrivateKey) caStore.getKey("ca", PASSWORD),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), null, null);

        assertTrue(SandboxPki.isSandboxCertificate(cert));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CN=Espoon kaupunki, O=Espoon kaupunki, C=FI",
        "CN=KELMU SANDBOX, O=KELMU SANDBOX, C=FI", "CN=x, OU=KELMU SANDBOX test, C=FI"})
    void aCertificateOutsideTheSandboxIsNotRecognisedAsSandbox(String subject) {
        KeyPair keys = PkiBuilder.rsa(2048);
        Instant now = Instant.now();
        X509Certificate ca = PkiBuilder.selfSignedCa("CN=Production-like CA, O=Somebody, C=FI", keys,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        X509Certificate cert = PkiBuilder.issue(subject, PkiBuilder.ec("secp256r1").getPublic(), ca,
                keys.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), null, null);

        assertFalse(SandboxPki.isSandboxCertificate(ca));
        assertFalse(SandboxPki.isSandboxCertificate(cert));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"../../etc-1", "9000005-4/..", "900000-54", ""})
    void aMemberWhoseBusinessIdIsNotOfTheFormNnnnnnnCIsRefused(String businessId) {
        assertThrows(IllegalArgumentException.class, () -> new SandboxPki.Member(businessId, "x"));
        assertThrows(IllegalArgumentException.class, () -> pki.organisationKeyStore(businessId));
    }

    private static X509Certificate ca() {
        return PkiBuilder.readCertificate(pki.caCertificate());
    }

    private static X509Certificate organisationCertificate(SandboxPki pki, String businessId) throws Exception {
        return (X509Certificate) PkiBuilder.loadPkcs12(pki.organisationKeyStore(businessId), PASSWORD)
                .getCertificate(businessId);
    }

    private static long days(X509Certificate cert) {
        return Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
    }

    private static void validate(X509Certificate cert, KeyStore trustStore, X509CRL crl) throws Exception {
        PKIXParameters parameters = new PKIXParameters(trustStore);
        parameters.setRevocationEnabled(crl != null);
        if (crl != null) {
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(List.of(crl))));
        }
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), parameters);
    }

    private static Path copyOfShared(Path target) throws IOException {
        Path source = shared.resolve("sandbox/pki");
        Path dir = target.resolve("pki");
        for (Path file : filesUnder(source)) {
            Path copy = dir.resolve(source.relativize(file).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
        return dir;
    }

    private static List<Path> filesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
