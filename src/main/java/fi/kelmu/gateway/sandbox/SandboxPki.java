package fi.kelmu.gateway.sandbox;

import fi.kelmu.gateway.security.SandboxKeys;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox mode's demo PKI, generated on first start: a CA, one key per demo organisation, the
 * gateway's signing key and a mandate issuer key. Every certificate is marked {@code OU=KELMU SANDBOX}
 * and every store uses the public password {@code sandbox}, so that production mode can recognise and
 * refuse these keys ({@link #isSandboxCertificate}).
 */
public final class SandboxPki {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPki.class);

    public static final String SANDBOX_MARKER = SandboxKeys.MARKER;
    public static final String CA_SUBJECT = "CN=kelmu-gateway SANDBOX demo CA, OU=" + SANDBOX_MARKER
            + ", O=kelmu-gateway, C=FI";
    /** Sandbox-only password of every key and trust store here; published, so it protects nothing. */
    public static final char[] PASSWORD = "sandbox".toCharArray();
    // a copy of its own, since any caller could overwrite the elements of the public array
    private static final char[] STORE_PASSWORD = "sandbox".toCharArray();

    public static final String CA_ALIAS = "ca";
    public static final String TRUSTED_CA_ALIAS = "kelmu-sandbox-ca";
    public static final String GATEWAY_ALIAS = "gateway";
    public static final String GATEWAY_RSA_ALIAS = "gateway-rsa";
    public static final String MANDATE_ISSUER_ALIAS = "mandate-issuer";
    public static final String TLS_ALIAS = "tls";
    public static final String SECURITY_SERVER_ALIAS = "security-server";
    /** The listener's TLS certificate: localhost, where the sandbox runs. */
    public static final String TLS_SUBJECT = "CN=localhost, OU=" + SANDBOX_MARKER + ", O=kelmu-gateway sandbox, C=FI";
    public static final String SECURITY_SERVER_SUBJECT = "CN=kelmu-gateway sandbox security server, OU="
            + SANDBOX_MARKER + ", O=kelmu-gateway sandbox, C=FI";
    public static final String GATEWAY_BUSINESS_ID = "0246246-0";
    public static final String GATEWAY_SUBJECT = PkiBuilder.organisationDn("kelmu-gateway sandbox signing",
            "kelmu-gateway", GATEWAY_BUSINESS_ID, true);
    public static final String MANDATE_ISSUER_SUBJECT = "CN=kelmu-gateway sandbox mandate issuer, OU="
            + SANDBOX_MARKER + ", O=Sandbox Suomi.fi-valtuudet, C=FI";

    static final Duration CA_VALIDITY = Duration.ofDays(3653);
    static final Duration LEAF_VALIDITY = Duration.ofDays(730);
    static final Duration CRL_VALIDITY = Duration.ofDays(30);
    // tolerates clocks of other sandbox machines running a little behind
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final Pattern BUSINESS_ID_SHAPE = Pattern.compile("[0-9]{7}-[0-9]");
    private static final String README = """
            KELMU SANDBOX PKI
            =================

            These keys and certificates were generated automatically by kelmu-gateway in sandbox mode,
            for demos and tests only. Every key store here uses the password: sandbox

            The password is published, so these keys prove nothing. NEVER use them in production.
            Every certificate here is marked OU=KELMU SANDBOX so that production mode can recognise and
            refuse it.

              ca.p12, ca.pem, ca.crl.pem   demo CA (alias ca), its certificate and CRL
              truststore.p12               the demo CA certificate (alias kelmu-sandbox-ca)
              organisations/<id>.p12/.pem  one key and certificate per demo organisation (alias <id>)
              gateway.p12, gateway.pem     the gateway's signing key (alias gateway, ECDSA P-256)
              gateway-rsa.p12, gateway-rsa.pem  its RSA key (alias gateway-rsa), for answers to RSA-signed requests
              gateway-cert.pem             the certificate callers use to verify the gateway's responses
              mandate-issuer.p12, .pem     the demo mandate issuer's signing key (alias mandate-issuer)
              mandate-issuer-cert.pem      its certificate
              mandate-issuers.p12          trust store of mandate issuers (alias mandate-issuer)
              tls.p12, tls.pem             the listener's TLS key for localhost (alias tls), used when TLS is on
              security-server.p12, .pem    a demo X-Road security server's TLS client key (alias security-server)
              security-servers.p12         the security servers X-Road mode trusts (alias security-server)

            Delete this directory to generate a new sandbox PKI on the next start.
            """;

    /** A demo organisation that gets its own key; {@code businessId} is a Y-tunnus {@code NNNNNNN-C}. */
    public record Member(String businessId, String name) {
        public Member {
            Objects.requireNonNull(businessId, "businessId");
            Objects.requireNonNull(name, "name");
            // the business id becomes a file name
            if (!BUSINESS_ID_SHAPE.matcher(businessId).matches()) {
                throw new IllegalArgumentException("not a business id of the form NNNNNNN-C: " + businessId);
            }
            if (name.isBlank()) {
                throw new IllegalArgumentException("organisation " + businessId + " has no name");
            }
        }
    }

    private final Path dir;
    private final X509Certificate ca;
    private final PrivateKey caKey;

    private SandboxPki(Path dir, X509Certificate ca, PrivateKey caKey) {
        this.dir = dir;
        this.ca = ca;
        this.caKey = caKey;
    }

    /**
     * Loads the sandbox PKI under {@code dir} and creates whatever is missing; with no {@code ca.p12} there,
     * generates all of it afresh (overwriting anything left over that a lost CA would have issued).
     */
    public static SandboxPki ensure(Path dir, List<Member> organisations) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path caStore = dir.resolve("ca.p12");
        boolean fresh = !Files.exists(caStore);
        SandboxPki pki;
        if (fresh) {
            KeyPair keys = PkiBuilder.rsa(3072);
            X509Certificate ca = PkiBuilder.selfSignedCa(CA_SUBJECT, keys, now.minus(BACKDATE),
                    now.plus(CA_VALIDITY));
            PkiBuilder.writePkcs12(caStore, CA_ALIAS, keys.getPrivate(), new X509Certificate[] {ca}, STORE_PASSWORD);
            pki = new SandboxPki(dir, ca, keys.getPrivate());
            LOG.warn("generated a SANDBOX PKI under {} (demo keys, password 'sandbox'; never for production)",
                    dir.toAbsolutePath());
        } else {
            KeyStore store = PkiBuilder.loadPkcs12(caStore, STORE_PASSWORD);
            pki = new SandboxPki(dir, certificate(store, CA_ALIAS, caStore), privateKey(store, CA_ALIAS, caStore));
        }
        pki.complete(organisations, fresh, now);
        return pki;
    }

    private void complete(List<Member> organisations, boolean fresh, Instant now) {
        if (fresh || !Files.exists(caCertificate())) {
            PkiBuilder.writePem(caCertificate(), ca);
        }
        if (fresh || !Files.exists(trustStore())) {
            PkiBuilder.writeTrustStore(trustStore(), Map.of(TRUSTED_CA_ALIAS, ca), STORE_PASSWORD);
        }
        ensureCrl(fresh, now);
        for (Member member : organisations) {
            ensureLeaf(organisationKeyStore(member.businessId()), member.businessId(),
                    PkiBuilder.organisationDn(member.name(), member.businessId(), true),
                    organisationPem(member.businessId()), null, fresh, now, false);
        }
        // the gateway signs every response: ECDSA P-256 signs about twice as fast as RSA-2048 (JDK 17)
        ensureLeaf(gatewayKeyStore(), GATEWAY_ALIAS, GATEWAY_SUBJECT, gatewayPem(), gatewayCertificate(), fresh, now,
                true);
        // and an RSA key, for the answers to RSA-signed requests: some stacks verify only the family they sign with
        ensureLeaf(gatewayRsaKeyStore(), GATEWAY_RSA_ALIAS, GATEWAY_SUBJECT, dir.resolve("gateway-rsa.pem"),
                dir.resolve("gateway-rsa-cert.pem"), fresh, now, false);
        boolean newIssuer = ensureLeaf(mandateIssuerKeyStore(), MANDATE_ISSUER_ALIAS, MANDATE_ISSUER_SUBJECT,
                mandateIssuerPem(), mandateIssuerCertificate(), fresh, now, false);
        if (newIssuer || !Files.exists(mandateIssuerTrustStore())) {
            X509Certificate issuer = certificate(PkiBuilder.loadPkcs12(mandateIssuerKeyStore(), STORE_PASSWORD),
                    MANDATE_ISSUER_ALIAS, mandateIssuerKeyStore());
            PkiBuilder.writeTrustStore(mandateIssuerTrustStore(), Map.of(MANDATE_ISSUER_ALIAS, issuer), STORE_PASSWORD);
        }
        ensureLeaf(tlsKeyStore(), TLS_ALIAS, TLS_SUBJECT, dir.resolve("tls.pem"), null, fresh, now, false);
        boolean newSecurityServer = ensureLeaf(securityServerKeyStore(), SECURITY_SERVER_ALIAS, SECURITY_SERVER_SUBJECT,
                dir.resolve("security-server.pem"), null, fresh, now, false);
        if (newSecurityServer || !Files.exists(securityServerTrustStore())) {
            X509Certificate server = certificate(PkiBuilder.loadPkcs12(securityServerKeyStore(), STORE_PASSWORD),
                    SECURITY_SERVER_ALIAS, securityServerKeyStore());
            PkiBuilder.writeTrustStore(securityServerTrustStore(), Map.of(SECURITY_SERVER_ALIAS, server),
                    STORE_PASSWORD);
        }
        if (fresh || !Files.exists(readme())) {
            PkiBuilder.writeText(readme(), README);
        }
    }

    /**
     * Makes sure a key store with its PEM files exists: generates key and certificate when the key store is
     * missing (or everything is fresh), otherwise only rewrites missing PEM files from it. Returns whether a
     * new key was generated.
     */
    private boolean ensureLeaf(Path keyStore, String alias, String subjectDn, Path pem, Path certPem, boolean fresh,
            Instant now, boolean ellipticCurve) {
        X509Certificate cert;
        PrivateKey key;
        boolean generate = fresh || !Files.exists(keyStore);
        if (generate) {
            KeyPair keys = ellipticCurve ? PkiBuilder.ec("secp256r1") : PkiBuilder.rsa(2048);
            cert = PkiBuilder.issue(subjectDn, keys.getPublic(), ca, caKey, now.minus(BACKDATE),
                    now.plus(LEAF_VALIDITY), null, "SHA256withRSA");
            key = keys.getPrivate();
            PkiBuilder.writePkcs12(keyStore, alias, key, new X509Certificate[] {cert, ca}, STORE_PASSWORD);
        } else if (!Files.exists(pem) || (certPem != null && !Files.exists(certPem))) {
            KeyStore store = PkiBuilder.loadPkcs12(keyStore, STORE_PASSWORD);
            cert = certificate(store, alias, keyStore);
            key = privateKey(store, alias, keyStore);
        } else {
            return false;
        }
        if (generate || !Files.exists(pem)) {
            PkiBuilder.writePem(pem, cert, key);
        }
        if (certPem != null && (generate || !Files.exists(certPem))) {
            PkiBuilder.writePem(certPem, cert);
        }
        return generate;
    }

    private void ensureCrl(boolean fresh, Instant now) {
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        if (!fresh && Files.exists(crl())) {
            X509CRL current = readOwnCrl();
            if (current != null) {
                Instant nextUpdate = current.getNextUpdate() == null ? null : current.getNextUpdate().toInstant();
                if (nextUpdate != null && nextUpdate.isAfter(now)) {
                    return;
                }
                revoked.putAll(revokedIn(current));
                LOG.info("sandbox CRL {} expired; reissuing it with its {} revoked serials", crl(), revoked.size());
            }
        }
        writeCrl(revoked, now);
    }

    /**
     * Revokes the organisation's certificate: adds its serial to the CRL and rewrites {@code ca.crl.pem}.
     * For demonstrating and testing revocation.
     */
    public void revoke(String businessId) {
        Path keyStore = organisationKeyStore(businessId);
        if (!Files.exists(keyStore)) {
            throw new IllegalArgumentException("no sandbox organisation " + businessId + " under " + dir);
        }
        X509Certificate cert = certificate(PkiBuilder.loadPkcs12(keyStore, STORE_PASSWORD), businessId, keyStore);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        X509CRL current = Files.exists(crl()) ? readOwnCrl() : null;
        if (current != null) {
            revoked.putAll(revokedIn(current));
        }
        revoked.putIfAbsent(cert.getSerialNumber(), now);
        writeCrl(revoked, now);
        LOG.info("sandbox organisation {} revoked (serial {})", businessId, cert.getSerialNumber().toString(16));
    }

    /** Whether a certificate is (or is issued by) sandbox material ({@link SandboxKeys}). */
    public static boolean isSandboxCertificate(X509Certificate c) {
        return SandboxKeys.isSandboxCertificate(c);
    }

    private void writeCrl(Map<BigInteger, Instant> revoked, Instant now) {
        PkiBuilder.writePem(crl(), PkiBuilder.crl(ca, caKey, revoked, now.minus(BACKDATE), now.plus(CRL_VALIDITY)));
    }

    /** The CRL on disk if this CA signed it; null when it is unreadable or from some other CA. */
    private X509CRL readOwnCrl() {
        try {
            X509CRL current = PkiBuilder.readCrl(crl());
            current.verify(ca.getPublicKey());
            return current;
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warn("sandbox CRL {} is unreadable or not signed by the sandbox CA; reissuing it: {}", crl(),
                    e.toString());
            return null;
        }
    }

    private static Map<BigInteger, Instant> revokedIn(X509CRL crl) {
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        if (crl.getRevokedCertificates() != null) {
            for (X509CRLEntry entry : crl.getRevokedCertificates()) {
                revoked.put(entry.getSerialNumber(), entry.getRevocationDate().toInstant());
            }
        }
        return revoked;
    }

    private static X509Certificate certificate(KeyStore store, String alias, Path file) {
        try {
            Certificate cert = store.getCertificate(alias);
            if (cert instanceof X509Certificate x509) {
                return x509;
            }
            throw new IllegalStateException(file + " has no certificate under alias " + alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + alias + " from " + file, e);
        }
    }

    private static PrivateKey privateKey(KeyStore store, String alias, Path file) {
        try {
            if (store.getKey(alias, STORE_PASSWORD) instanceof PrivateKey key) {
                return key;
            }
            throw new IllegalStateException(file + " has no private key under alias " + alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + alias + " from " + file, e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** {@code ca.p12}: the CA's key and certificate, alias {@code ca}. */
    public Path caKeyStore() {
        return dir.resolve("ca.p12");
    }

    /** {@code ca.pem}: the CA certificate. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** {@code truststore.p12}: the CA certificate as a trusted entry, alias {@code kelmu-sandbox-ca}. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** {@code ca.crl.pem}: the CA's current CRL. */
    public Path crl() {
        return dir.resolve("ca.crl.pem");
    }

    /** {@code organisations/<businessId>.p12}: key and chain [certificate, CA], alias = business id. */
    public Path organisationKeyStore(String businessId) {
        return dir.resolve("organisations").resolve(fileName(businessId) + ".p12");
    }

    /** {@code organisations/<businessId>.pem}: certificate and PKCS#8 private key. */
    public Path organisationPem(String businessId) {
        return dir.resolve("organisations").resolve(fileName(businessId) + ".pem");
    }

    /** {@code tls.p12}: the listener's TLS key and chain for localhost, alias {@code tls}. */
    public Path tlsKeyStore() {
        return dir.resolve("tls.p12");
    }

    /** {@code security-server.p12}: the demo X-Road security server's TLS client key, alias {@code security-server}. */
    public Path securityServerKeyStore() {
        return dir.resolve("security-server.p12");
    }

    /** {@code security-servers.p12}: the security servers X-Road mode trusts, alias {@code security-server}. */
    public Path securityServerTrustStore() {
        return dir.resolve("security-servers.p12");
    }

    /** {@code gateway-rsa.p12}: the gateway's RSA signing key and chain, alias {@code gateway-rsa}. */
    public Path gatewayRsaKeyStore() {
        return dir.resolve("gateway-rsa.p12");
    }

    /** {@code gateway.p12}: the gateway's signing key and chain, alias {@code gateway}. */
    public Path gatewayKeyStore() {
        return dir.resolve("gateway.p12");
    }

    /** {@code gateway.pem}: the gateway's certificate and PKCS#8 private key. */
    public Path gatewayPem() {
        return dir.resolve("gateway.pem");
    }

    /** {@code gateway-cert.pem}: the certificate callers use to verify the gateway's responses. */
    public Path gatewayCertificate() {
        return dir.resolve("gateway-cert.pem");
    }

    /** {@code mandate-issuer.p12}: the demo mandate issuer's signing key and chain, alias {@code mandate-issuer}. */
    public Path mandateIssuerKeyStore() {
        return dir.resolve("mandate-issuer.p12");
    }

    /** {@code mandate-issuer.pem}: the mandate issuer's certificate and PKCS#8 private key. */
    public Path mandateIssuerPem() {
        return dir.resolve("mandate-issuer.pem");
    }

    /** {@code mandate-issuer-cert.pem}: the mandate issuer's certificate. */
    public Path mandateIssuerCertificate() {
        return dir.resolve("mandate-issuer-cert.pem");
    }

    /** {@code mandate-issuers.p12}: trust store of mandate issuers, alias {@code mandate-issuer}. */
    public Path mandateIssuerTrustStore() {
        return dir.resolve("mandate-issuers.p12");
    }

    /** {@code README.txt}: what these files are and that they are never for production. */
    public Path readme() {
        return dir.resolve("README.txt");
    }

    private static String fileName(String businessId) {
        // the business id becomes a file name: nothing that could leave the directory
        if (businessId == null || !BUSINESS_ID_SHAPE.matcher(businessId).matches()) {
            throw new IllegalArgumentException("not a business id of the form NNNNNNN-C: " + businessId);
        }
        return businessId;
    }

    @Override
    public String toString() {
        return "SandboxPki[" + dir + "]";
    }
}
