package fi.kelmu.gateway.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes keys, X.509 certificates, CRLs, PKCS#12 stores and PEM files, good or deliberately bad. */
public final class PkiBuilder {

    /** Attribute type 2.5.4.97 (X.520 organizationIdentifier), e.g. {@code NTRFI-1234567-8}. */
    public static final String ORGANIZATION_IDENTIFIER_OID = BCStyle.ORGANIZATION_IDENTIFIER.getId();
    /** Attribute type 2.5.4.5 (X.520 serialNumber); not the certificate serial number. */
    public static final String SERIAL_NUMBER_OID = BCStyle.SERIALNUMBER.getId();

    private static final SecureRandom RANDOM = new SecureRandom();

    private PkiBuilder() {
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA-" + bits + " key", e);
        }
    }

    /** A key pair on a named curve, e.g. {@code secp256r1}. */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key on " + curve, e);
        }
    }

    /** A positive random certificate serial number of 64 bits or more (RFC 5280 allows up to 20 octets). */
    public static BigInteger randomSerial() {
        return new BigInteger(64, RANDOM).setBit(64);
    }

    /**
     * Parses a distinguished name written most specific first, as in RFC 4514 and Java's
     * {@code X500Principal} ({@code CN=..., O=..., C=FI}), so that the encoding starts with C like
     * certificates from other tools do. Knows {@code organizationIdentifier} and {@code serialNumber}.
     */
    public static X500Name name(String dn) {
        RDN[] rdns = new X500Name(BCStyle.INSTANCE, dn).getRDNs();
        List<RDN> reversed = new ArrayList<>(Arrays.asList(rdns));
        Collections.reverse(reversed);
        return new X500Name(BCStyle.INSTANCE, reversed.toArray(RDN[]::new));
    }

    /**
     * The subject DN of an organisation's certificate: {@code CN} and {@code O} = {@code commonName},
     * {@code organizationIdentifier=NTRFI-<businessId>}, {@code serialNumber=<businessId>}, {@code C=FI},
     * plus {@code OU=KELMU SANDBOX} when {@code sandbox}.
     */
    public static String organisationDn(String commonName, String businessId, boolean sandbox) {
        return organisationDn(commonName, commonName, businessId, sandbox);
    }

    /** As {@link #organisationDn(String, String, boolean)} with an {@code O} different from the {@code CN}. */
    public static String organisationDn(String commonName, String organisationName, String businessId,
            boolean sandbox) {
        StringBuilder dn = new StringBuilder()
                .append("CN=").append(escape(commonName))
                .append(", serialNumber=").append(escape(businessId));
        if (sandbox) {
            dn.append(", OU=").append(SandboxPki.SANDBOX_MARKER);
        }
        return dn.append(", organizationIdentifier=NTRFI-").append(escape(businessId))
                .append(", O=").append(escape(organisationName))
                .append(", C=FI")
                .toString();
    }

    /** Escapes a value for a DN string (RFC 4514 section 2.4). */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean special = ",+\"\\<>;=".indexOf(c) >= 0
                    || (i == 0 && (c == '#' || c == ' '))
                    || (i == value.length() - 1 && c == ' ');
            if (special) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    public static X509Certificate selfSignedCa(String subjectDn, KeyPair keys, Instant notBefore, Instant notAfter) {
        return selfSignedCa(name(subjectDn), keys, notBefore, notAfter);
    }

    /** A root CA: BasicConstraints CA (critical), keyCertSign and cRLSign, subject key identifier. */
    public static X509Certificate selfSignedCa(X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate(), defaultSignatureAlgorithm(keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build CA certificate " + subject, e);
        }
    }

    /**
     * An end-entity certificate: BasicConstraints CA false, digitalSignature and nonRepudiation, authority
     * and subject key identifiers. A null {@code serial} is replaced by {@link #randomSerial()}, a null
     * {@code signatureAlgorithm} by SHA-256 with the issuer key's algorithm; any JCA name such as
     * {@code SHA1withRSA} is honoured, so tests can make certificates the gateway must refuse.
     */
    public static X509Certificate issue(String subjectDn, PublicKey subjectKey, X509Certificate issuerCert,
            PrivateKey issuerKey, Instant notBefore, Instant notAfter, BigInteger serial,
            String signatureAlgorithm) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerCert,
                    serial == null ? randomSerial() : serial, Date.from(notBefore), Date.from(notAfter),
                    name(subjectDn), subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuerCert))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(subjectKey));
            return sign(builder, issuerKey,
                    signatureAlgorithm == null ? defaultSignatureAlgorithm(issuerKey) : signatureAlgorithm);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue certificate for " + subjectDn, e);
        }
    }

    /** A CRL revoking {@code revokedSerials} as of {@code thisUpdate}. */
    public static X509CRL crl(X509Certificate issuerCert, PrivateKey issuerKey, Collection<BigInteger> revokedSerials,
            Instant thisUpdate, Instant nextUpdate) {
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        revokedSerials.forEach(serial -> revoked.put(serial, thisUpdate));
        return crl(issuerCert, issuerKey, revoked, thisUpdate, nextUpdate);
    }

    /** A CRL revoking each serial as of its own date; signed with SHA-256 and the issuer key's algorithm. */
    public static X509CRL crl(X509Certificate issuerCert, PrivateKey issuerKey, Map<BigInteger, Instant> revoked,
            Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuerCert, Date.from(thisUpdate))
                    .setNextUpdate(Date.from(nextUpdate))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuerCert))
                    .addExtension(Extension.cRLNumber, false,
                            new CRLNumber(BigInteger.valueOf(thisUpdate.toEpochMilli())));
            revoked.forEach((serial, when) -> builder.addCRLEntry(serial, Date.from(when), CRLReason.unspecified));
            ContentSigner signer = new JcaContentSignerBuilder(defaultSignatureAlgorithm(issuerKey)).build(issuerKey);
            return new JcaX509CRLConverter().getCRL(builder.build(signer));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build CRL for " + issuerCert.getSubjectX500Principal(), e);
        }
    }

    /** Writes a PKCS#12 key store with one private key entry; the file is made owner-only where possible. */
    public static void writePkcs12(Path file, String alias, PrivateKey key, X509Certificate[] chain,
            char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain);
            writeAtomically(file, store(store, password), true);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write key store " + file, e);
        }
    }

    /** Writes a PKCS#12 trust store holding only trusted certificate entries, one per alias. */
    public static void writeTrustStore(Path file, Map<String, X509Certificate> trusted, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (Map.Entry<String, X509Certificate> entry : trusted.entrySet()) {
                store.setCertificateEntry(entry.getKey(), entry.getValue());
            }
            writeAtomically(file, store(store, password), false);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write trust store " + file, e);
        }
    }

    /**
     * Writes certificates, CRLs and keys as PEM in the order given; private keys as unencrypted PKCS#8
     * ({@code PRIVATE KEY}), in which case the file is made owner-only where possible.
     */
    public static void writePem(Path file, Object... objects) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean secret = false;
        try (JcaPEMWriter pem = new JcaPEMWriter(new OutputStreamWriter(bytes, StandardCharsets.US_ASCII))) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    pem.writeObject(new JcaPKCS8Generator(key, null));
                    secret = true;
                } else if (o instanceof X509Certificate || o instanceof X509CRL || o instanceof PublicKey) {
                    pem.writeObject(o);
                } else {
                    throw new IllegalArgumentException(
                            "cannot write " + (o == null ? "null" : o.getClass().getName()) + " as PEM");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PEM for " + file, e);
        }
        try {
            writeAtomically(file, bytes.toByteArray(), secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes a text file (UTF-8) the same way the key material is written: whole or not at all. */
    public static void writeText(Path file, String text) {
        try {
            writeAtomically(file, text.getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static KeyStore loadPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key store " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read key store " + file, e);
        }
    }

    /** The first certificate in a PEM or DER file. */
    public static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificate " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read certificate " + file, e);
        }
    }

    /** The CRL in a PEM or DER file. */
    public static X509CRL readCrl(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRL " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read CRL " + file, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String algorithm)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + algorithm, e);
        }
    }

    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuerCert)
            throws GeneralSecurityException {
        // key identifier only, copied from the issuer's SKI so that chain building matches byte for byte
        byte[] ski = issuerCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets())
                    .getKeyIdentifier();
            return new AuthorityKeyIdentifier(keyId);
        }
        return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerCert.getPublicKey());
    }

    private static String defaultSignatureAlgorithm(PrivateKey key) {
        if (key instanceof ECKey || "EC".equals(key.getAlgorithm())) {
            return "SHA256withECDSA";
        }
        if ("RSA".equals(key.getAlgorithm())) {
            return "SHA256withRSA";
        }
        throw new IllegalArgumentException("no default signature algorithm for " + key.getAlgorithm() + " keys");
    }

    private static byte[] store(KeyStore store, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }

    /**
     * Writes via a temporary file in the same directory and renames it into place, so readers never see
     * half a key store. Secret files are created owner read/write only (where POSIX permissions exist)
     * before any byte is written, so that other local users cannot read private keys.
     */
    private static void writeAtomically(Path file, byte[] content, boolean secret) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".part");
        if (secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
