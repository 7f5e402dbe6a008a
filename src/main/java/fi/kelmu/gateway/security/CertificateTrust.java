package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decides whether a signing certificate is trusted: it must chain to a configured trust anchor (the
 * organisation CA), be within its validity period now, and not be revoked (CRLs; with revocation on, a
 * certificate whose status cannot be determined is refused). Stops self-signed, cloned, expired and
 * revoked certificates. Successful validations are remembered for a short, configurable time.
 */
public final class CertificateTrust {

    private final Set<TrustAnchor> anchors;
    private final Supplier<? extends Collection<X509CRL>> crls;
    private final boolean revocation;
    private final Duration cacheFor;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> validUntil = new ConcurrentHashMap<>();

    public CertificateTrust(KeyStore trustStore, Collection<X509CRL> crls, boolean revocation, Duration cacheFor,
            Clock clock) {
        this(trustStore, fixed(crls), revocation, cacheFor, clock);
    }

    /** With CRLs that may change while running ({@link CrlSource}). */
    public CertificateTrust(KeyStore trustStore, Supplier<? extends Collection<X509CRL>> crls, boolean revocation,
            Duration cacheFor, Clock clock) {
        this.anchors = anchorsOf(trustStore);
        this.crls = crls;
        this.revocation = revocation;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /**
     * Returns normally when {@code cert} is trusted now; otherwise Client.CertificateExpired (expired or not yet
     * valid), Client.CertificateRevoked, or Client.UntrustedCertificate (any other reason).
     */
    public void verify(X509Certificate cert) {
        Instant now = clock.instant();
        String key = fingerprint(cert);
        Instant cached = validUntil.get(key);
        if (cached != null && now.isBefore(cached)) {
            return;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPath path = factory.generateCertPath(List.of(cert));
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setDate(Date.from(now));
            parameters.setRevocationEnabled(revocation);
            Collection<X509CRL> current = crls.get();
            if (!current.isEmpty()) {
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(current)));
            }
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
        } catch (CertPathValidatorException e) {
            String reason = reason(e);
            FaultCode code = switch (reason) {
                case "expired", "not yet valid" -> FaultCode.CERTIFICATE_EXPIRED;
                case "revoked" -> FaultCode.CERTIFICATE_REVOKED;
                default -> FaultCode.UNTRUSTED_CERTIFICATE;
            };
            throw new GatewayException(code, "Certificate serial " + cert.getSerialNumber().toString(16) + ": "
                    + reason + ".", "certificate " + describe(cert) + " refused: " + reason + " (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new GatewayException(FaultCode.UNTRUSTED_CERTIFICATE, null,
                    "certificate " + describe(cert) + " could not be validated: " + e.getMessage(), e);
        }
        if (!cacheFor.isZero()) {
            Instant until = now.plus(cacheFor);
            Instant notAfter = cert.getNotAfter().toInstant();
            validUntil.put(key, until.isAfter(notAfter) ? notAfter : until);
        }
    }

    private static Supplier<Collection<X509CRL>> fixed(Collection<X509CRL> crls) {
        List<X509CRL> copy = List.copyOf(crls);
        return () -> copy;
    }

    private static String reason(CertPathValidatorException e) {
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
            return "does not chain to a trusted CA";
        }
        return switch (e.getReason().toString()) {
            case "EXPIRED" -> "expired";
            case "NOT_YET_VALID" -> "not yet valid";
            case "REVOKED" -> "revoked";
            case "UNDETERMINED_REVOCATION_STATUS" -> "revocation status unknown (no valid CRL)";
            case "INVALID_SIGNATURE" -> "chain signature invalid";
            default -> e.getReason().toString();
        };
    }

    public static String describe(X509Certificate cert) {
        return "'" + cert.getSubjectX500Principal().getName() + "' serial " + cert.getSerialNumber().toString(16)
                + " issued by '" + cert.getIssuerX500Principal().getName() + "'";
    }

    /** The SHA-256 of the certificate's encoding, in hex: what identifies a pinned certificate. */
    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private static Set<TrustAnchor> anchorsOf(KeyStore trustStore) {
        Set<TrustAnchor> result = new HashSet<>();
        try {
            for (String alias : java.util.Collections.list(trustStore.aliases())) {
                if (trustStore.getCertificate(alias) instanceof X509Certificate c) {
                    result.add(new TrustAnchor(c, null));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("trust store unreadable", e);
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("trust store holds no certificate: no caller could be trusted");
        }
        return result;
    }
}
