package fi.kelmu.gateway.mandate;

import fi.kelmu.gateway.config.XmlConfigLoader;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.security.AlgorithmPolicy;
import fi.kelmu.gateway.security.CertificateTrust;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.signature.XMLSignatureInput;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Verifies a MandateAssertion's issuer signature with Apache Santuario (docs/mandates-and-policy.md): the element must
 * be schema-valid, carry one enveloped signature whose single reference points at the element itself
 * (checked by node identity, so a signed copy elsewhere cannot stand in for it), use only enveloped
 * signature + exclusive C14N transforms and the algorithms of {@link AlgorithmPolicy}, and be signed by
 * one of the pinned issuer certificates, within its validity. The assertion itself must be valid now.
 */
public final class MandateAssertionVerifier {

    private static final String DS_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final List<String> TRANSFORMS = List.of(Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
            Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);

    /** An assertion id is an NCName of bounded length: it goes into every access-log record. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

    private final List<X509Certificate> trustedIssuers;
    private final Duration clockSkew;
    private final Duration maxLifetime;
    private final Clock clock;
    private final Schema schema = XmlConfigLoader.schema("xsd/mandate-assertion.xsd");

    static {
        org.apache.xml.security.Init.init();
    }

    /**
     * @param maxLifetime the longest an assertion may be valid from its issue: a revoked mandate stops
     *                    working at the latest when its assertions expire (R-MAND-4)
     */
    public MandateAssertionVerifier(List<X509Certificate> trustedIssuers, Duration clockSkew, Duration maxLifetime,
            Clock clock) {
        this.trustedIssuers = List.copyOf(trustedIssuers);
        this.clockSkew = clockSkew;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    public MandateAssertion verify(Element assertion) {
        validateAgainstSchema(assertion);
        String id = assertion.getAttributeNS(MandateAssertionIssuer.WSU_NS, "Id");
        if (!ID.matcher(id).matches()) {
            throw invalid("the assertion's wsu:Id is missing or not a short NCName");
        }
        Element signatureElement = lastChild(assertion);
        if (signatureElement == null || !DS_NS.equals(signatureElement.getNamespaceURI())
                || !"Signature".equals(signatureElement.getLocalName())) {
            throw invalid("the assertion's last child is not its enveloped ds:Signature");
        }
        if (assertion.getElementsByTagNameNS(DS_NS, "Signature").getLength() != 1) {
            throw invalid("the assertion holds more than one ds:Signature");
        }
        assertion.setIdAttributeNS(MandateAssertionIssuer.WSU_NS, "Id", true);
        X509Certificate issuer = checkSignature(assertion, signatureElement, id);
        return checkValidity(read(assertion, id, issuer));
    }

    private void validateAgainstSchema(Element assertion) {
        try {
            schema.newValidator().validate(new DOMSource(assertion));
        } catch (org.xml.sax.SAXException e) {
            throw invalid("not valid against xsd/mandate-assertion.xsd: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw invalid("could not be validated: " + e.getMessage());
        }
    }

    private X509Certificate checkSignature(Element assertion, Element signatureElement, String id) {
        try {
            XMLSignature signature = new XMLSignature(signatureElement, null, true);
            SignedInfo signedInfo = signature.getSignedInfo();
            if (!AlgorithmPolicy.EXC_C14N.equals(signedInfo.getCanonicalizationMethodURI())) {
                throw invalid("canonicalisation " + signedInfo.getCanonicalizationMethodURI() + " refused");
            }
            if (!AlgorithmPolicy.SIGNATURE_METHODS.contains(signedInfo.getSignatureMethodURI())) {
                throw invalid("signature method " + signedInfo.getSignatureMethodURI() + " refused");
            }
            if (signedInfo.getLength() != 1) {
                throw invalid("the signature has " + signedInfo.getLength() + " references, not 1");
            }
            Reference reference = signedInfo.item(0);
            if (!("#" + id).equals(reference.getURI())) {
                throw invalid("the reference " + reference.getURI() + " is not the assertion's own #" + id);
            }
            if (!AlgorithmPolicy.DIGEST_METHODS.contains(reference.getMessageDigestAlgorithm().getAlgorithmURI())) {
                throw invalid("digest " + reference.getMessageDigestAlgorithm().getAlgorithmURI() + " refused");
            }
            List<String> transforms = new ArrayList<>();
            Transforms t = reference.getTransforms();
            for (int i = 0; t != null && i < t.getLength(); i++) {
                transforms.add(t.item(i).getURI());
            }
            if (!TRANSFORMS.equals(transforms)) {
                throw invalid("transforms " + transforms + " refused; only " + TRANSFORMS);
            }
            X509Certificate certificate = signature.getKeyInfo() == null ? null
                    : signature.getKeyInfo().getX509Certificate();
            if (certificate == null) {
                throw invalid("no issuer certificate in KeyInfo");
            }
            requireTrustedIssuer(certificate);
            if (!signature.checkSignatureValue(certificate)) {
                throw invalid("the issuer signature does not verify");
            }
            XMLSignatureInput signed = reference.getContentsBeforeTransformation();
            Node signedNode = signed == null ? null : signed.getSubNode();
            if (signedNode != assertion) {
                throw invalid("the signature covers another element than the assertion itself");
            }
            return certificate;
        } catch (GatewayException e) {
            throw e;
        } catch (Exception e) {
            throw new GatewayException(FaultCode.INVALID_MANDATE_ASSERTION, null,
                    "mandate assertion signature: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Issuers are pinned: the certificate must be one of the configured ones, valid now, with a strong key. */
    private void requireTrustedIssuer(X509Certificate certificate) {
        if (!trustedIssuers.contains(certificate)) {
            throw new GatewayException(FaultCode.UNTRUSTED_MANDATE_ISSUER, null,
                    "mandate assertion signed by " + CertificateTrust.describe(certificate) + ", not a trusted issuer");
        }
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new GatewayException(FaultCode.UNTRUSTED_MANDATE_ISSUER, null,
                    "mandate issuer certificate not valid now: " + e.getMessage());
        }
        if (certificate.getPublicKey() instanceof RSAKey rsa && rsa.getModulus().bitLength() < AlgorithmPolicy.MIN_RSA_BITS
                || certificate.getPublicKey() instanceof ECKey ec
                        && ec.getParams().getCurve().getField().getFieldSize() < AlgorithmPolicy.MIN_EC_BITS) {
            throw invalid("the issuer key is too weak");
        }
    }

    private static MandateAssertion read(Element assertion, String id, X509Certificate issuer) {
        String issuerName = null;
        String user = null;
        String organisation = null;
        Instant issued = null;
        Instant notBefore = null;
        Instant notOnOrAfter = null;
        List<String> mandates = new ArrayList<>();
        try {
            for (Node n = assertion.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e) || !MandateAssertion.NS.equals(e.getNamespaceURI())) {
                    continue;
                }
                String text = e.getTextContent().strip();
                switch (e.getLocalName()) {
                    case "issuer" -> issuerName = text;
                    case "issueInstant" -> issued = instant(text);
                    case "notBefore" -> notBefore = instant(text);
                    case "notOnOrAfter" -> notOnOrAfter = instant(text);
                    case "user" -> user = text;
                    case "organisation" -> organisation = text;
                    case "mandate" -> mandates.add(text);
                    default -> throw invalid("unexpected element " + e.getLocalName());
                }
            }
        } catch (DateTimeParseException e) {
            throw invalid("a time is not an instant with a zone: " + e.getParsedString());
        }
        return new MandateAssertion(id, issuerName, issuer, issued, notBefore, notOnOrAfter, user, organisation, mandates);
    }

    private static Instant instant(String text) {
        return java.time.OffsetDateTime.parse(text).toInstant();
    }

    private MandateAssertion checkValidity(MandateAssertion a) {
        Instant now = clock.instant();
        if (!a.notBefore().isBefore(a.notOnOrAfter())) {
            throw invalid("notBefore " + a.notBefore() + " is not before notOnOrAfter " + a.notOnOrAfter());
        }
        // measured from the earlier of issue and notBefore, so a backdated start does not lengthen it
        Instant start = a.notBefore().isBefore(a.issueInstant()) ? a.notBefore() : a.issueInstant();
        if (Duration.between(start, a.notOnOrAfter()).compareTo(maxLifetime) > 0) {
            throw invalid("valid from " + start + " until " + a.notOnOrAfter() + ", longer than " + maxLifetime
                    + " (kelmu.mandate.assertion.max-lifetime-seconds)");
        }
        if (a.issueInstant().isAfter(now.plus(clockSkew))) {
            throw new GatewayException(FaultCode.MANDATE_ASSERTION_NOT_VALID_NOW, null,
                    "assertion " + a.id() + " issued in the future: " + a.issueInstant());
        }
        if (now.plus(clockSkew).isBefore(a.notBefore())) {
            throw new GatewayException(FaultCode.MANDATE_ASSERTION_NOT_VALID_NOW, null,
                    "assertion " + a.id() + " not valid before " + a.notBefore() + " (now " + now + ")");
        }
        if (!now.minus(clockSkew).isBefore(a.notOnOrAfter())) {
            throw new GatewayException(FaultCode.MANDATE_ASSERTION_NOT_VALID_NOW, null,
                    "assertion " + a.id() + " expired at " + a.notOnOrAfter() + " (now " + now + ")");
        }
        return a;
    }

    private static Element lastChild(Element parent) {
        for (Node n = parent.getLastChild(); n != null; n = n.getPreviousSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static GatewayException invalid(String reason) {
        return new GatewayException(FaultCode.INVALID_MANDATE_ASSERTION, null, "mandate assertion: " + reason);
    }
}
