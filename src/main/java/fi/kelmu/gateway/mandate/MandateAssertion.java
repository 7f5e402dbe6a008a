package fi.kelmu.gateway.mandate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.xml.namespace.QName;

/**
 * A mandate assertion whose issuer signature verified (xsd/mandate-assertion.xsd): who it is for, which
 * organisation granted which mandates, and when it is valid. Whether it fits the request (user,
 * organisation) is decided in the route, which knows both ({@link MandateResolution}).
 */
public record MandateAssertion(String id, String issuer, X509Certificate issuerCertificate, Instant issueInstant,
        Instant notBefore, Instant notOnOrAfter, String user, String organisation, List<String> mandates) {

    public static final String NS = "urn:fi:kelmu:mandate:v1";
    public static final QName QNAME = new QName(NS, "MandateAssertion");

    public MandateAssertion {
        mandates = List.copyOf(mandates);
    }
}
