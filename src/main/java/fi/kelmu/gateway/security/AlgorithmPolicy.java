package fi.kelmu.gateway.security;

import java.util.List;
import java.util.Set;
import org.apache.wss4j.common.crypto.AlgorithmSuite;

/**
 * The signature algorithms the gateway accepts: RSA (2048+) or ECDSA (P-256+) with SHA-256 or stronger,
 * SHA-256+ digests, exclusive C14N and no other transform (but a no-op enveloped-signature before it). Stops downgrade to SHA-1/MD5, HMAC signatures
 * (including the truncation attack) and XSLT/XPath transforms that run attacker-chosen code on the document.
 */
public final class AlgorithmPolicy {

    public static final String EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public static final Set<String> SIGNATURE_METHODS = Set.of(
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512");
    public static final Set<String> DIGEST_METHODS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384",
            "http://www.w3.org/2001/04/xmlenc#sha512");
    public static final String ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    public static final Set<String> TRANSFORMS = Set.of(EXC_C14N);
    /**
     * The transform chains a reference may carry: exclusive C14N, or enveloped-signature then exclusive C14N, as
     * xml-crypto (node {@code soap}) and some .NET stacks write it. On a Body or header reference the enveloped
     * transform removes nothing (the signature is not inside them), so it changes nothing that is signed.
     */
    public static final Set<List<String>> TRANSFORM_CHAINS = Set.of(List.of(), List.of(EXC_C14N),
            List.of(ENVELOPED_SIGNATURE, EXC_C14N));
    /**
     * Well-known algorithm and transform URIs the gateway refuses. A refusal names a URI only when it is accepted or
     * one of these: any other URI is the caller's own text, which a (signed) fault does not quote back.
     */
    public static final Set<String> WELL_KNOWN_REFUSED = Set.of(
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            "http://www.w3.org/2000/09/xmldsig#sha1",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-md5",
            "http://www.w3.org/2001/04/xmldsig-more#md5",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224",
            "http://www.w3.org/2001/04/xmldsig-more#sha224",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha224",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-ripemd160",
            "http://www.w3.org/2001/04/xmlenc#ripemd160",
            "http://www.w3.org/2009/xmldsig11#dsa-sha256",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
            "http://www.w3.org/2006/12/xml-c14n11",
            "http://www.w3.org/2006/12/xml-c14n11#WithComments",
            "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
            "http://www.w3.org/TR/1999/REC-xslt-19991116",
            "http://www.w3.org/TR/1999/REC-xpath-19991116",
            "http://www.w3.org/2002/06/xmldsig-filter2",
            "http://www.w3.org/2000/09/xmldsig#base64",
            "http://www.w3.org/2001/04/xmldsig-more/xptr");
    public static final int MIN_RSA_BITS = 2048;
    public static final int MIN_EC_BITS = 256;

    private AlgorithmPolicy() {
    }

    /** {@code uri} as a fault may name it: itself when accepted or well known, else a phrase that quotes nothing. */
    public static String named(String uri) {
        if (uri == null || uri.isEmpty()) {
            return "(none)";
        }
        boolean known = SIGNATURE_METHODS.contains(uri) || DIGEST_METHODS.contains(uri) || EXC_C14N.equals(uri)
                || ENVELOPED_SIGNATURE.equals(uri) || WELL_KNOWN_REFUSED.contains(uri);
        return known ? uri : "(an algorithm the gateway does not know)";
    }

    /** The policy as a WSS4J algorithm suite, enforced while the signature is processed. */
    public static AlgorithmSuite suite() {
        AlgorithmSuite suite = new AlgorithmSuite();
        SIGNATURE_METHODS.forEach(suite::addSignatureMethod);
        DIGEST_METHODS.forEach(suite::addDigestAlgorithm);
        suite.addC14nAlgorithm(EXC_C14N);
        TRANSFORMS.forEach(suite::addTransformAlgorithm);
        suite.addTransformAlgorithm(ENVELOPED_SIGNATURE);
        suite.setMinimumAsymmetricKeyLength(MIN_RSA_BITS);
        suite.setMaximumAsymmetricKeyLength(16384);
        suite.setMinimumEllipticCurveKeyLength(MIN_EC_BITS);
        suite.setMaximumEllipticCurveKeyLength(521);
        return suite;
    }
}
