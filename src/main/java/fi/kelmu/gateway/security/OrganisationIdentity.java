package fi.kelmu.gateway.security;

import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads which organisation (Y-tunnus) a certificate's subject proves. Only the subject counts, never the
 * issuer, and only an unambiguous value: two different business ids in organizationIdentifier (or, failing
 * that, in serialNumber) yield none, so one certificate cannot speak for whichever organisation suits the caller.
 */
public final class OrganisationIdentity {

    /** Legal-person semantics identifier prefix for the Finnish trade register (ETSI EN 319 412-1). */
    public static final String NTR_FI_PREFIX = "NTRFI-";

    private static final Pattern SHAPE = Pattern.compile("[0-9]{7}-[0-9]");

    private OrganisationIdentity() {
    }

    /**
     * The business id from organizationIdentifier ({@code NTRFI-1234567-8} or {@code 1234567-8}), else from
     * serialNumber ({@code 1234567-8}); organizationIdentifier wins when both have one. The check digit is
     * not validated here ({@code BusinessId.isValid}).
     */
    public static Optional<String> businessIdOf(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        Set<String> ids = idsIn(subject, BCStyle.ORGANIZATION_IDENTIFIER, true);
        if (ids.isEmpty()) {
            ids = idsIn(subject, BCStyle.SERIALNUMBER, false);
        }
        return ids.size() == 1 ? Optional.of(ids.iterator().next()) : Optional.empty();
    }

    private static Set<String> idsIn(X500Name subject, ASN1ObjectIdentifier type, boolean prefixAllowed) {
        Set<String> ids = new LinkedHashSet<>();
        for (RDN rdn : subject.getRDNs(type)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(type)) {
                    businessId(attribute.getValue(), prefixAllowed).ifPresent(ids::add);
                }
            }
        }
        return ids;
    }

    private static Optional<String> businessId(ASN1Encodable value, boolean prefixAllowed) {
        if (!(value instanceof ASN1String string)) {
            return Optional.empty();
        }
        String text = string.getString();
        if (prefixAllowed && text.startsWith(NTR_FI_PREFIX)) {
            text = text.substring(NTR_FI_PREFIX.length());
        }
        return SHAPE.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }
}
