package fi.kelmu.gateway.security;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Recognises the published sandbox keys, so that production refuses to trust or sign with them: every sandbox
 * certificate, and every certificate a sandbox CA issues, carries the organisational unit {@value #MARKER}.
 */
public final class SandboxKeys {

    public static final String MARKER = "KELMU SANDBOX";

    private SandboxKeys() {
    }

    /** Whether the certificate, or its issuer, is marked as sandbox material. */
    public static boolean isSandboxCertificate(X509Certificate c) {
        return hasSandboxUnit(c.getSubjectX500Principal().getEncoded())
                || hasSandboxUnit(c.getIssuerX500Principal().getEncoded());
    }

    /** Production mode must never trust, or sign with, the published sandbox keys. */
    public static void refuseIn(String property, List<X509Certificate> certificates) {
        for (X509Certificate c : certificates) {
            if (isSandboxCertificate(c)) {
                throw new IllegalStateException("production mode refuses sandbox keys: " + property + " holds "
                        + c.getSubjectX500Principal().getName());
            }
        }
    }

    private static boolean hasSandboxUnit(byte[] encodedName) {
        for (RDN rdn : X500Name.getInstance(encodedName).getRDNs(BCStyle.OU)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(BCStyle.OU) && attribute.getValue() instanceof ASN1String value
                        && value.getString().trim().equalsIgnoreCase(MARKER)) {
                    return true;
                }
            }
        }
        return false;
    }
}
