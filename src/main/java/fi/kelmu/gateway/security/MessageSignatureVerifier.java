package fi.kelmu.gateway.security;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.xml.Dom;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.crypto.AlgorithmSuite;
import org.apache.wss4j.common.crypto.Crypto;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.WSDataRef;
import org.apache.wss4j.dom.engine.WSSConfig;
import org.apache.wss4j.dom.engine.WSSecurityEngine;
import org.apache.wss4j.dom.engine.WSSecurityEngineResult;
import org.apache.wss4j.dom.handler.RequestData;
import org.apache.wss4j.dom.handler.WSHandlerResult;
import org.apache.wss4j.dom.message.token.Timestamp;
import org.apache.wss4j.dom.str.STRParser;
import org.apache.wss4j.dom.validate.NoOpValidator;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * Verifies the WS-Security 1.1 X.509 signature of a SOAP 1.1 request and says exactly what it covers.
 * <p>
 * Threats it stops: unsigned or partly signed messages (required elements are checked by position, as the
 * Envelope's own Body, the Security header's Timestamp and the Header's direct X-Road children, never by Id
 * alone), signature wrapping (a signed element moved elsewhere no longer counts; duplicate Ids are refused
 * before anything resolves them), extra references and transforms, algorithm downgrade
 * ({@link AlgorithmPolicy}), keys other than the BinarySecurityToken, stale messages (Timestamp window), and
 * untrusted certificates ({@link CertificateTrust}). A valid signature alone proves nothing: this class
 * returns what it proves.
 */
public final class MessageSignatureVerifier {

    private static final Set<String> SECURITY_CHILDREN = Set.of("BinarySecurityToken", "Timestamp", "Signature");

    private final Crypto tokenCrypto;
    private final CertificateTrust trust;
    private final int timestampTtlSeconds;
    private final int clockSkewSeconds;
    private final List<QName> requiredHeaders;
    private final Set<QName> optionalSignedHeaders;
    private final WSSConfig wssConfig;
    private final AlgorithmSuite algorithmSuite = AlgorithmPolicy.suite();

    /**
     * @param tokenCrypto           reads the BinarySecurityToken (trust is decided by {@code trust}, not by it)
     * @param requiredHeaders       header elements that, when present, must be covered
     * @param optionalSignedHeaders header elements a signature may also cover
     */
    public MessageSignatureVerifier(Crypto tokenCrypto, CertificateTrust trust, int timestampTtlSeconds,
            int clockSkewSeconds, List<QName> requiredHeaders, Set<QName> optionalSignedHeaders) {
        this.tokenCrypto = tokenCrypto;
        this.trust = trust;
        this.timestampTtlSeconds = timestampTtlSeconds;
        this.clockSkewSeconds = clockSkewSeconds;
        this.requiredHeaders = List.copyOf(requiredHeaders);
        this.optionalSignedHeaders = Set.copyOf(optionalSignedHeaders);
        WSSConfig.init();
        this.wssConfig = WSSConfig.getNewInstance();
        // trust is decided afterwards by CertificateTrust, with precise reasons
        this.wssConfig.setValidator(WSConstants.SIGNATURE, new NoOpValidator());
    }

    public VerifiedMessage verify(Document document) {
        Element envelope = document.getDocumentElement();
        if (envelope == null || !Dom.SOAP_NS.equals(envelope.getNamespaceURI()) || !"Envelope".equals(envelope.getLocalName())) {
            throw invalid("the document is not a SOAP 1.1 Envelope");
        }
        Element header = onlyChild(envelope, Dom.SOAP_NS, "Header", FaultCode.SIGNATURE_REQUIRED);
        Element body = onlyChild(envelope, Dom.SOAP_NS, "Body", FaultCode.INVALID_REQUEST);
        refuseDuplicateIds(envelope);
        if (document.getElementsByTagNameNS(Dom.WSSE_NS, "Security").getLength() > 1) {
            throw invalid("more than one wsse:Security element");
        }
        Element security = onlyChild(header, Dom.WSSE_NS, "Security", FaultCode.SIGNATURE_REQUIRED);
        for (Element child : Dom.children(security)) {
            if (!SECURITY_CHILDREN.contains(child.getLocalName())) {
                throw invalid("unexpected element in the Security header: " + child.getNodeName());
            }
        }
        Element timestamp = onlyChild(security, Dom.WSU_NS, "Timestamp", FaultCode.SIGNATURE_REQUIRED);
        checkAlgorithms(onlyChild(security, Dom.DS_NS, "Signature", FaultCode.SIGNATURE_REQUIRED));
        Map<QName, Element> headers = headerElements(header);

        WSHandlerResult results = process(document);
        WSSecurityEngineResult signature = single(results, WSConstants.SIGN, "signature");
        WSSecurityEngineResult stamp = single(results, WSConstants.TS, "timestamp");

        if (signature.get(WSSecurityEngineResult.TAG_X509_REFERENCE_TYPE) != STRParser.REFERENCE_TYPE.DIRECT_REF) {
            throw invalid("the signing key is not referenced directly to a BinarySecurityToken");
        }
        X509Certificate certificate = (X509Certificate) signature.get(WSSecurityEngineResult.TAG_X509_CERTIFICATE);
        if (certificate == null) {
            throw invalid("no X.509 certificate in the signature");
        }

        Map<Element, String> allowed = new IdentityHashMap<>();
        allowed.put(body, "Body");
        allowed.put(timestamp, "Timestamp");
        headers.forEach((name, element) -> {
            if (requiredHeaders.contains(name) || optionalSignedHeaders.contains(name)) {
                allowed.put(element, name.getLocalPart());
            }
        });
        Set<Element> covered = Collections.newSetFromMap(new IdentityHashMap<>());
        @SuppressWarnings("unchecked")
        List<WSDataRef> refs = (List<WSDataRef>) signature.get(WSSecurityEngineResult.TAG_DATA_REF_URIS);
        for (WSDataRef ref : refs == null ? List.<WSDataRef>of() : refs) {
            Element protectedElement = ref.getProtectedElement();
            if (protectedElement == null || !allowed.containsKey(protectedElement)) {
                throw invalid("the signature references an element outside the signed parts: "
                        + (protectedElement == null ? ref.getWsuId() : protectedElement.getNodeName()));
            }
            if (!covered.add(protectedElement)) {
                throw invalid("the signature references " + allowed.get(protectedElement) + " twice");
            }
            // the transforms were checked in the SignedInfo before processing (checkAlgorithms)
        }
        requireCovered(covered, body, "the SOAP Body");
        requireCovered(covered, timestamp, "the Timestamp");
        for (QName name : requiredHeaders) {
            Element element = headers.get(name);
            if (element != null) {
                requireCovered(covered, element, "the X-Road header " + name.getLocalPart());
            }
        }
        trust.verify(certificate);

        Timestamp ts = (Timestamp) stamp.get(WSSecurityEngineResult.TAG_TIMESTAMP);
        byte[] signatureValue = (byte[]) signature.get(WSSecurityEngineResult.TAG_SIGNATURE_VALUE);
        return new VerifiedMessage(envelope, certificate, signatureValue, ts.getCreated(), ts.getExpires(), covered);
    }

    private WSHandlerResult process(Document document) {
        RequestData data = new RequestData();
        data.setWssConfig(wssConfig);
        data.setSigVerCrypto(tokenCrypto);
        data.setAlgorithmSuite(algorithmSuite);
        data.setTimeStampTTL(timestampTtlSeconds);
        data.setTimeStampFutureTTL(clockSkewSeconds);
        data.setTimeStampStrict(true);
        data.setDisableBSPEnforcement(false);
        data.setAllowRSA15KeyTransportAlgorithm(false);
        WSSecurityEngine engine = new WSSecurityEngine();
        engine.setWssConfig(wssConfig);
        try {
            WSHandlerResult results = engine.processSecurityHeader(document, data);
            if (results == null) {
                throw new GatewayException(FaultCode.SIGNATURE_REQUIRED, null, "no Security header processed");
            }
            return results;
        } catch (WSSecurityException e) {
            if (e.getErrorCode() == WSSecurityException.ErrorCode.MESSAGE_EXPIRED) {
                throw new GatewayException(FaultCode.EXPIRED_MESSAGE, "The Timestamp must be created at most "
                        + timestampTtlSeconds + " s ago and at most " + clockSkewSeconds + " s ahead, and not be past"
                        + " its Expires.",
                        "timestamp outside the window (ttl " + timestampTtlSeconds + " s, skew " + clockSkewSeconds
                                + " s): " + e.getMessage(), e);
            }
            String detail = e.getMsgID() != null ? " [" + e.getMsgID() + "]" : "";
            if (e.getCause() != null) {
                detail += " caused by " + e.getCause().getMessage();
            }
            throw new GatewayException(FaultCode.INVALID_SIGNATURE, callerDetail(e),
                    "WS-Security processing failed: " + e.getErrorCode() + " " + e.getMessage() + detail, e);
        } catch (RuntimeException e) {
            // what WSS4J does not wrap, e.g. a BinarySecurityToken that is not base64: still the caller's message
            throw new GatewayException(FaultCode.INVALID_SIGNATURE, HEADER_UNREADABLE,
                    "WS-Security processing failed: " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private static final String UNRESOLVED_REFERENCE = "A signature reference names an Id that no element of the"
            + " message has.";
    private static final String HEADER_UNREADABLE = "The WS-Security header cannot be read: a token or value in it"
            + " is malformed (e.g. a BinarySecurityToken that is not base64).";
    private static final String TOKEN_UNREADABLE = "The BinarySecurityToken cannot be read.";

    /**
     * What the caller learns of a failed signature check: which kind of failure, never more than the caller's own
     * message shows (docs/faults.md).
     */
    private static String callerDetail(WSSecurityException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.xml.crypto.URIReferenceException) {
                return UNRESOLVED_REFERENCE;
            }
        }
        return switch (e.getErrorCode()) {
            case FAILED_CHECK -> "The signature value or a reference's digest does not match the signed content"
                    + " (changed after signing, or canonicalised differently).";
            case INVALID_SECURITY, INVALID_SECURITY_TOKEN, SECURITY_TOKEN_UNAVAILABLE -> TOKEN_UNREADABLE;
            default -> null;
        };
    }

    private static WSSecurityEngineResult single(WSHandlerResult results, int action, String what) {
        List<WSSecurityEngineResult> list = results.getActionResults().get(action);
        if (list == null || list.isEmpty()) {
            throw new GatewayException(FaultCode.SIGNATURE_REQUIRED, null, "no " + what + " result");
        }
        if (list.size() > 1) {
            throw invalid("more than one " + what);
        }
        return list.get(0);
    }

    private static void requireCovered(Set<Element> covered, Element element, String part) {
        if (!covered.contains(element)) {
            throw new GatewayException(FaultCode.PART_NOT_SIGNED, "Not signed: " + part + ".",
                    part + " is not covered by the signature");
        }
    }

    /**
     * The algorithms the signature names, checked before any of them runs, so that a refusal says which one
     * and what is accepted instead ({@link AlgorithmPolicy}).
     */
    private static void checkAlgorithms(Element signature) {
        Element signedInfo = Dom.firstChild(signature, Dom.DS_NS, "SignedInfo");
        if (signedInfo == null) {
            throw invalid("the Signature has no SignedInfo");
        }
        requireAlgorithm(signedInfo, "CanonicalizationMethod", Set.of(AlgorithmPolicy.EXC_C14N), "canonicalisation");
        requireAlgorithm(signedInfo, "SignatureMethod", AlgorithmPolicy.SIGNATURE_METHODS, "signature");
        for (Element reference : Dom.children(signedInfo)) {
            if (!Dom.is(reference, Dom.DS_NS, "Reference")) {
                continue;
            }
            requireAlgorithm(reference, "DigestMethod", AlgorithmPolicy.DIGEST_METHODS, "digest");
            Element transforms = Dom.firstChild(reference, Dom.DS_NS, "Transforms");
            List<String> chain = transforms == null ? List.of()
                    : Dom.children(transforms).stream().map(t -> t.getAttribute("Algorithm")).toList();
            if (!AlgorithmPolicy.TRANSFORM_CHAINS.contains(chain)) {
                throw new GatewayException(FaultCode.TRANSFORM_NOT_ALLOWED, "A signature reference uses transforms "
                        + chain.stream().map(AlgorithmPolicy::named).toList() + "; accepted: exclusive C14N, or"
                        + " enveloped-signature then exclusive C14N.",
                        "reference " + reference.getAttribute("URI") + " uses transforms " + chain);
            }
        }
    }

    private static void requireAlgorithm(Element parent, String element, Set<String> allowed, String what) {
        Element method = Dom.firstChild(parent, Dom.DS_NS, element);
        String algorithm = method == null ? null : method.getAttribute("Algorithm");
        if (algorithm == null || !allowed.contains(algorithm)) {
            throw new GatewayException(FaultCode.ALGORITHM_NOT_ALLOWED, "The " + what + " algorithm "
                    + AlgorithmPolicy.named(algorithm) + " is not accepted; accepted: " + new java.util.TreeSet<>(allowed)
                    + ".",
                    what + " algorithm " + algorithm + " refused (" + element + ")");
        }
    }

    /** The Header's direct children by name; the same header twice is refused here, before anything trusts it. */
    private static Map<QName, Element> headerElements(Element header) {
        Map<QName, Element> result = new HashMap<>();
        for (Element child : Dom.children(header)) {
            QName name = new QName(child.getNamespaceURI(), child.getLocalName());
            if (result.put(name, child) != null && !Dom.WSSE_NS.equals(name.getNamespaceURI())) {
                throw new GatewayException(FaultCode.INCONSISTENT_HEADERS,
                        "Header '" + name.getLocalPart() + "' appears more than once.", "duplicate header " + name);
            }
        }
        return result;
    }

    private static void refuseDuplicateIds(Element root) {
        Map<String, Boolean> seen = new HashMap<>();
        NodeList all = root.getOwnerDocument().getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            NamedNodeMap attributes = all.item(i).getAttributes();
            for (int j = 0; j < attributes.getLength(); j++) {
                Attr attribute = (Attr) attributes.item(j);
                if (isIdAttribute(attribute) && seen.put(attribute.getValue(), Boolean.TRUE) != null) {
                    throw invalid("duplicate Id '" + attribute.getValue() + "'");
                }
            }
        }
    }

    private static boolean isIdAttribute(Attr attribute) {
        String local = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getName();
        String ns = attribute.getNamespaceURI();
        if ("Id".equals(local) && (ns == null || Dom.WSU_NS.equals(ns))) {
            return true;
        }
        return ("ID".equals(local) && ns == null) || ("id".equals(local) && "http://www.w3.org/XML/1998/namespace".equals(ns));
    }

    private static Element onlyChild(Element parent, String ns, String localName, FaultCode whenMissing) {
        Element found = null;
        for (Element child : Dom.children(parent)) {
            if (ns.equals(child.getNamespaceURI()) && localName.equals(child.getLocalName())) {
                if (found != null) {
                    throw invalid("more than one " + localName + " in " + parent.getLocalName());
                }
                found = child;
            }
        }
        if (found == null) {
            throw new GatewayException(whenMissing, null, localName + " missing from " + parent.getLocalName());
        }
        return found;
    }

    private static GatewayException invalid(String reason) {
        return new GatewayException(FaultCode.INVALID_SIGNATURE, null, reason);
    }
}
