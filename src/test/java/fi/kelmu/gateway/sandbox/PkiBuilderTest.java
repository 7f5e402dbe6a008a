package fi.kelmu.gateway.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PkiBuilderTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));
    private static final Instant NEXT_YEAR = NOW.plus(Duration.ofDays(365));
    private static final String ESPOO = "Espoon kaupunki (demo)";

    private static KeyPair caKeys;
    private static X509Certificate ca;

    @BeforeAll
    static void makeCa() {
        caKeys = PkiBuilder.rsa(2048);
        ca = PkiBuilder.selfSignedCa("CN=Test CA, O=kelmu tests, C=FI", caKeys, YESTERDAY, NEXT_YEAR);
    }

    @Test
    void aSelfSignedCaIsACaForCertificatesAndCrls() throws Exception {
        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints());
        assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"), "basic constraints critical");
        boolean[] usage = ca.getKeyUsage();
        assertTrue(usage[5], "keyCertSign");
        assertTrue(usage[6], "cRLSign");
        assertFalse(usage[0], "not digitalSignature");
        assertNotNull(ca.getExtensionValue("2.5.29.14"), "subject key identifier");
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(caKeys.getPublic());
        assertEquals("CN=Test CA,O=kelmu tests,C=FI", ca.getSubjectX500Principal().getName());
    }

    @Test
    void anIssuedEndEntityCertificateChainsToItsCa() throws Exception {
        KeyPair keys = PkiBuilder.rsa(2048);
        X509Certificate cert = PkiBuilder.issue("CN=leaf, O=kelmu tests, C=FI", keys.getPublic(), ca,
                caKeys.getPrivate(), YESTERDAY, NEXT_YEAR, BigInteger.valueOf(4242), "SHA256withRSA");

        validate(cert, ca, false, List.of());
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertTrue(cert.getKeyUsage()[1], "nonRepudiation");
        assertFalse(cert.getKeyUsage()[5], "not keyCertSign");
        assertNotNull(cert.getExtensionValue("2.5.29.35"), "authority key identifier");
        assertNotNull(cert.getExtensionValue("2.5.29.14"), "subject key identifier");
        assertEquals(BigInteger.valueOf(4242), cert.getSerialNumber());
        assertEquals("SHA256withRSA", cert.getSigAlgName());
        assertEquals(ca.getSubjectX500Principal(), cert.getIssuerX500Principal());
    }

    @Test
    void aCertificateFromAnotherCaDoesNotChain() {
        KeyPair otherKeys = PkiBuilder.rsa(2048);
        X509Certificate other = PkiBuilder.selfSignedCa("CN=Test CA, O=kelmu tests, C=FI", otherKeys, YESTERDAY,
                NEXT_YEAR);
        X509Certificate cert = PkiBuilder.issue("CN=impostor, C=FI", PkiBuilder.rsa(2048).getPublic(), other,
                otherKeys.getPrivate(), YESTERDAY, NEXT_YEAR, null, null);

        assertThrows(CertPathValidatorException.class, () -> validate(cert, ca, false, List.of()));
    }

    @Test
    void anExpiredCertificateFailsValidation() {
        X509Certificate cert = PkiBuilder.issue("CN=old, C=FI", PkiBuilder.rsa(2048).getPublic(), ca,
                caKeys.getPrivate(), YESTERDAY.minus(Duration.ofDays(10)), YESTERDAY, null, null);

        assertThrows(CertPathValidatorException.class, () -> validate(cert, ca, false, List.of()));
    }

    @Test
    void theRequestedSignatureAlgorithmIsUsedEvenAWeakOne() {
        X509Certificate cert = PkiBuilder.issue("CN=weak, C=FI", PkiBuilder.rsa(2048).getPublic(), ca,
                caKeys.getPrivate(), YESTERDAY, NEXT_YEAR, null, "SHA1withRSA");

        assertEquals("SHA1withRSA", cert.getSigAlgName());
    }

    @Test
    void withoutASerialARandomPositiveSerialOfAtLeast64BitsIsChosen() {
        X509Certificate a = PkiBuilder.issue("CN=a, C=FI", PkiBuilder.ec("secp256r1").getPublic(), ca,
                caKeys.getPrivate(), YESTERDAY, NEXT_YEAR, null, null);
        X509Certificate b = PkiBuilder.issue("CN=b, C=FI", PkiBuilder.ec("secp256r1").getPublic(), ca,
                caKeys.getPrivate(), YESTERDAY, NEXT_YEAR, null, null);

        assertTrue(a.getSerialNumber().signum() > 0);
        assertTrue(a.getSerialNumber().bitLength() >= 64);
        assertFalse(a.getSerialNumber().equals(b.getSerialNumber()));
    }

    @Test
    void organizationIdentifierAndSerialNumberRoundTripThroughTheCertificate() throws Exception {
        String dn = PkiBuilder.organisationDn(ESPOO, "9000005-4", true);
        X509Certificate cert = PkiBuilder.issue(dn, PkiBuilder.rsa(2048).getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);

        X500Name subject = new JcaX509CertificateHolder(cert).getSubject();
        assertEquals(List.of("NTRFI-9000005-4"), values(subject, "2.5.4.97"));
        assertEquals(List.of("9000005-4"), values(subject, "2.5.4.5"));
        assertEquals(List.of(ESPOO), values(subject, "2.5.4.3"));
        assertEquals(List.of(ESPOO), values(subject, "2.5.4.10"));
        assertEquals(List.of("KELMU SANDBOX"), values(subject, "2.5.4.11"));
        assertEquals(List.of("FI"), values(subject, "2.5.4.6"));
        for (RDN rdn : subject.getRDNs()) {
            assertFalse(rdn.isMultiValued(), "one attribute per RDN");
        }
        X500Name viaPrincipal = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        assertEquals(List.of("NTRFI-9000005-4"), values(viaPrincipal, "2.5.4.97"));
    }

    @Test
    void theOrganisationDnIsReadMostSpecificFirstLikeJavaPrints() {
        String dn = PkiBuilder.organisationDn(ESPOO, "9000005-4", false);
        X509Certificate cert = PkiBuilder.issue(dn, PkiBuilder.rsa(2048).getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);

        String printed = cert.getSubjectX500Principal().getName();
        assertTrue(printed.startsWith("CN=Espoon kaupunki (demo),"), printed);
        assertTrue(printed.endsWith(",C=FI"), printed);
        assertFalse(dn.contains("OU="), dn);
    }

    @Test
    void organisationNamesWithDnSpecialCharactersAreEscaped() throws Exception {
        String name = "Oy Esimerkki, \"Testi\" + Ab";
        X509Certificate cert = PkiBuilder.issue(PkiBuilder.organisationDn(name, "1234567-1", true),
                PkiBuilder.rsa(2048).getPublic(), ca, caKeys.getPrivate(), YESTERDAY, NEXT_YEAR, null, null);

        X500Name subject = new JcaX509CertificateHolder(cert).getSubject();
        assertEquals(List.of(name), values(subject, "2.5.4.3"));
        assertEquals(List.of(name), values(subject, "2.5.4.10"));
        assertEquals(List.of("NTRFI-1234567-1"), values(subject, "2.5.4.97"));
    }

    @Test
    void aCrlListsTheRevokedSerialsAndVerifiesWithTheCaKey() throws Exception {
        KeyPair keys = PkiBuilder.rsa(2048);
        X509Certificate revoked = PkiBuilder.issue("CN=revoked, C=FI", keys.getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);
        X509Certificate good = PkiBuilder.issue("CN=good, C=FI", keys.getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);

        X509CRL crl = PkiBuilder.crl(ca, caKeys.getPrivate(), List.of(revoked.getSerialNumber()), NOW,
                NOW.plus(Duration.ofDays(30)));

        crl.verify(caKeys.getPublic());
        assertEquals(ca.getSubjectX500Principal(), crl.getIssuerX500Principal());
        assertTrue(crl.isRevoked(revoked));
        assertFalse(crl.isRevoked(good));
        assertNotNull(crl.getRevokedCertificate(revoked.getSerialNumber()));
        assertEquals(Date.from(NOW.plus(Duration.ofDays(30))), crl.getNextUpdate());
        assertEquals("SHA256withRSA", crl.getSigAlgName());
    }

    @Test
    void pkixWithRevocationRefusesARevokedCertificateAndAcceptsAnotherFromTheSameCa() throws Exception {
        KeyPair keys = PkiBuilder.rsa(2048);
        X509Certificate revoked = PkiBuilder.issue("CN=revoked, C=FI", keys.getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);
        X509Certificate good = PkiBuilder.issue("CN=good, C=FI", keys.getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);
        X509CRL crl = PkiBuilder.crl(ca, caKeys.getPrivate(), List.of(revoked.getSerialNumber()),
                NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofDays(30)));

        validate(good, ca, true, List.of(crl));
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(revoked, ca, true, List.of(crl)));
        assertEquals("REVOKED", e.getReason().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"secp256r1", "secp384r1"})
    void ellipticCurveCasAndCertificatesWork(String curve) throws Exception {
        KeyPair ecCaKeys = PkiBuilder.ec(curve);
        X509Certificate ecCa = PkiBuilder.selfSignedCa("CN=EC CA, C=FI", ecCaKeys, YESTERDAY, NEXT_YEAR);
        KeyPair keys = PkiBuilder.ec(curve);
        X509Certificate cert = PkiBuilder.issue("CN=ec leaf, C=FI", keys.getPublic(), ecCa, ecCaKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, "SHA256withECDSA");

        assertInstanceOf(ECPublicKey.class, cert.getPublicKey());
        assertEquals("SHA256withECDSA", ecCa.getSigAlgName());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        validate(cert, ecCa, false, List.of());
        X509CRL crl = PkiBuilder.crl(ecCa, ecCaKeys.getPrivate(), List.of(cert.getSerialNumber()), NOW,
                NOW.plus(Duration.ofDays(1)));
        crl.verify(ecCaKeys.getPublic());
        assertTrue(crl.isRevoked(cert));
    }

    @Test
    void anRsaCaCanIssueAnEcCertificate() throws Exception {
        X509Certificate cert = PkiBuilder.issue("CN=mixed, C=FI", PkiBuilder.ec("secp256r1").getPublic(), ca,
                caKeys.getPrivate(), YESTERDAY, NEXT_YEAR, null, null);

        assertEquals("SHA256withRSA", cert.getSigAlgName());
        validate(cert, ca, false, List.of());
    }

    @Test
    void aWrittenPkcs12KeyStoreLoadsWithThePasswordAndHoldsKeyAndChain(@TempDir Path dir) throws Exception {
        KeyPair keys = PkiBuilder.rsa(2048);
        X509Certificate cert = PkiBuilder.issue("CN=store, C=FI", keys.getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);
        Path file = dir.resolve("sub/store.p12");
        char[] password = "secret".toCharArray();

        PkiBuilder.writePkcs12(file, "me", keys.getPrivate(), new X509Certificate[] {cert, ca}, password);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        assertTrue(store.isKeyEntry("me"));
        PrivateKey key = (PrivateKey) store.getKey("me", password);
        assertArrayEquals(keys.getPrivate().getEncoded(), key.getEncoded());
        assertArrayEquals(new java.security.cert.Certificate[] {cert, ca}, store.getCertificateChain("me"));
        assertThrows(Exception.class, () -> PkiBuilder.loadPkcs12(file, "wrong".toCharArray()));
        assertOwnerOnlyWherePosix(file);
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aTrustStoreHoldsOnlyTrustedCertificateEntries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trust.p12");

        PkiBuilder.writeTrustStore(file, Map.of("test-ca", ca), "changeit".toCharArray());

        KeyStore store = PkiBuilder.loadPkcs12(file, "changeit".toCharArray());
        assertEquals(List.of("test-ca"), java.util.Collections.list(store.aliases()));
        assertTrue(store.isCertificateEntry("test-ca"));
        assertEquals(ca, store.getCertificate("test-ca"));
    }

    @Test
    void pemFilesHoldCertificatesPkcs8KeysAndCrlsThatJavaCanReadBack(@TempDir Path dir) throws Exception {
        KeyPair keys = PkiBuilder.rsa(2048);
        X509Certificate cert = PkiBuilder.issue("CN=pem, C=FI", keys.getPublic(), ca, caKeys.getPrivate(),
                YESTERDAY, NEXT_YEAR, null, null);
        X509CRL crl = PkiBuilder.crl(ca, caKeys.getPrivate(), List.of(), NOW, NOW.plus(Duration.ofDays(1)));
        Path keyFile = dir.resolve("leaf.pem");
        Path crlFile = dir.resolve("ca.crl.pem");
        Path certFile = dir.resolve("ca.pem");

        PkiBuilder.writePem(keyFile, cert, keys.getPrivate());
        PkiBuilder.writePem(crlFile, crl);
        PkiBuilder.writePem(certFile, ca);

        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("-----BEGIN CERTIFICATE-----"), text);
        assertTrue(text.contains("-----BEGIN PRIVATE KEY-----"), "PKCS#8, not the OpenSSL RSA form");
        assertEquals(cert, PkiBuilder.readCertificate(keyFile));
        assertEquals(ca, PkiBuilder.readCertificate(certFile));
        assertEquals(crl, PkiBuilder.readCrl(crlFile));
        assertTrue(Files.readString(crlFile).startsWith("-----BEGIN X509 CRL-----"));
        assertOwnerOnlyWherePosix(keyFile);
        if (Files.getFileStore(certFile).supportsFileAttributeView("posix")) {
            assertTrue(Files.getPosixFilePermissions(certFile).contains(PosixFilePermission.OWNER_READ));
        }
        assertEquals(1, CertificateFactory.getInstance("X.509")
                .generateCertificates(Files.newInputStream(certFile)).size());
    }

    @Test
    void writingPemRefusesObjectsItCannotEncode(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> PkiBuilder.writePem(dir.resolve("x.pem"), "text"));
        assertFalse(Files.exists(dir.resolve("x.pem")));
    }

    private static void validate(X509Certificate cert, X509Certificate anchor, boolean revocation,
            List<X509CRL> crls) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(revocation);
        if (!crls.isEmpty()) {
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        }
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), parameters);
    }

    private static List<String> values(X500Name name, String oid) {
        return java.util.Arrays.stream(name.getRDNs(new ASN1ObjectIdentifier(oid)))
                .map(rdn -> ((ASN1String) rdn.getFirst().getValue()).getString())
                .toList();
    }

    static void assertOwnerOnlyWherePosix(Path file) throws Exception {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file), file.toString());
        }
    }
}
