package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.security.AnswerIds;
import fi.kelmu.gateway.security.GatewaySecurity.SigningKeyStore;
import fi.kelmu.gateway.security.SigningProvider;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xml.DomStreamWriter;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.callback.CallbackHandler;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.binding.soap.interceptor.SoapOutInterceptor;
import org.apache.cxf.interceptor.AbstractOutDatabindingInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.staxutils.W3CDOMStreamWriter;
import org.apache.wss4j.common.WSEncryptionPart;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.message.WSSecHeader;
import org.apache.wss4j.dom.message.WSSecSignature;
import org.apache.wss4j.dom.message.WSSecTimestamp;
import org.w3c.dom.Document;

/**
 * Signs every answer, faults included, with one of the gateway's keys: the one of the family (RSA or EC) the request
 * was signed with, so that a client whose stack verifies only its own family (xml-crypto, WCF verify RSA only) can
 * verify the answer; the first key when the gateway holds no key of that family or the request was refused before
 * its signature was read. The signature is what {@link OutboundSigning} describes: a Timestamp, the Body, the
 * Timestamp and the X-Road headers and access receipt present, the certificate as a BinarySecurityToken by direct
 * reference, exclusive c14n, SHA-256, the Security header not mustUnderstand.
 *
 * <p>The answer is written into a plain DOM document instead of the output (this interceptor swaps the chain's
 * writer, as CXF's SAAJ interceptor does), signed there with WSS4J's DOM API when the chain has written it, and
 * then written out once by {@link DomStreamWriter}. CXF's {@code WSS4JOutInterceptor} builds a SAAJ message instead,
 * whose every node is a wrapper found again through a per-document map on each step of the signing and the copy
 * out; in the benchmark that was the largest cost of the answer path (docs/benchmark.md).
 *
 * <p>Each key is read and prepared once, here: an EC key is converted into BouncyCastle's key object and signed
 * with through {@link SigningProvider#provider()}, passed to this interceptor's signatures only; an RSA key is
 * signed with by the JDK's providers ({@link SigningProvider}, docs/security.md).
 */
public final class ResponseSigning extends AbstractSoapInterceptor {

    /** The message property holding the chain's own writer while the answer is written into a document. */
    private static final String ORIGINAL_WRITER = ResponseSigning.class.getName() + ".writer";

    private record Prepared(String family, String alias, String password, String algorithm, PreparedKeyCrypto crypto) {
    }

    private final List<Prepared> keys;
    private final AnswerIds ids = new AnswerIds();
    private final int ttlSeconds;
    private final SignAndWrite ending = new SignAndWrite();

    private ResponseSigning(List<Prepared> keys, int ttlSeconds) {
        super(Phase.PRE_PROTOCOL);
        this.keys = keys;
        this.ttlSeconds = ttlSeconds;
    }

    /** Signs with {@code keys}, the first the default; the Timestamp lives {@code ttlSeconds}. */
    public static ResponseSigning of(List<SigningKeyStore> keys, int ttlSeconds) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("response signing needs a key");
        }
        List<Prepared> prepared = new ArrayList<>();
        for (SigningKeyStore key : keys) {
            PreparedKeyCrypto crypto = new PreparedKeyCrypto(key.alias(), SigningProvider.prepare(key.privateKey()));
            crypto.setKeyStore(key.keyStore());
            Certificate certificate = OutboundSigning.certificate(key.keyStore(), key.alias());
            prepared.add(new Prepared(certificate.getPublicKey().getAlgorithm(), key.alias(),
                    new String(key.password()), OutboundSigning.signatureAlgorithm(certificate), crypto));
        }
        return new ResponseSigning(List.copyOf(prepared), ttlSeconds);
    }

    /** Points the chain's writer at a new document; {@link SignAndWrite} signs and writes it at the chain's end. */
    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        XMLStreamWriter original = message.getContent(XMLStreamWriter.class);
        if (original == null || message.containsKey(ORIGINAL_WRITER)) {
            return;
        }
        message.put(ORIGINAL_WRITER, original);
        // the data binding would otherwise write the body straight to the output stream, past the document
        message.put(AbstractOutDatabindingInterceptor.DISABLE_OUTPUTSTREAM_OPTIMIZATION, Boolean.TRUE);
        message.setContent(XMLStreamWriter.class, new W3CDOMStreamWriter(Dom.newDocument()));
        message.getInterceptorChain().add(ending);
    }

    /** A chain that fails after the swap: the fault's chain writes through the original writer, from the start. */
    @Override
    public void handleFault(SoapMessage message) {
        if (message.remove(ORIGINAL_WRITER) instanceof XMLStreamWriter original) {
            message.setContent(XMLStreamWriter.class, original);
            message.remove(SoapOutInterceptor.WROTE_ENVELOPE_START);
        }
    }

    /** Adds the Security header with a Timestamp and the signature to the answer {@code document}. */
    void sign(Document document, GatewayRequest request) throws WSSecurityException {
        Prepared key = keyFor(request);
        WSSecHeader header = new WSSecHeader(document);
        header.setMustUnderstand(false);
        header.insertSecurityHeader();
        WSSecTimestamp timestamp = new WSSecTimestamp(header);
        timestamp.setIdAllocator(ids);
        timestamp.setTimeToLive(ttlSeconds);
        timestamp.build();
        WSSecSignature signature = new WSSecSignature(header);
        signature.setIdAllocator(ids);
        signature.setUserInfo(key.alias(), key.password());
        signature.setKeyIdentifierType(WSConstants.BST_DIRECT_REFERENCE);
        signature.setSignatureAlgorithm(key.algorithm());
        signature.setDigestAlgo(WSConstants.SHA256);
        signature.setSigCanonicalization(WSConstants.C14N_EXCL_OMIT_COMMENTS);
        signature.setAddInclusivePrefixes(false);
        // null for an RSA key: the JVM's default providers
        signature.setSignatureProvider(key.crypto().signingKey().provider());
        List<WSEncryptionPart> parts = signature.getParts();
        parts.add(new WSEncryptionPart("Body", WSConstants.URI_SOAP11_ENV, "Element"));
        parts.add(new WSEncryptionPart("Timestamp", WSConstants.WSU_NS, "Element"));
        for (QName optional : OutboundSigning.OPTIONAL_PARTS) {
            WSEncryptionPart part = new WSEncryptionPart(optional.getLocalPart(), optional.getNamespaceURI(), "Element");
            part.setRequired(false);
            parts.add(part);
        }
        signature.build(key.crypto());
    }

    /**
     * At the end of the chain (after the envelope is closed): signs the document the answer was written into and
     * writes it through the chain's own writer, which the chain then flushes and closes as usual.
     */
    private final class SignAndWrite extends AbstractSoapInterceptor {

        SignAndWrite() {
            super(ResponseSigning.class.getName() + ".signAndWrite", Phase.PRE_PROTOCOL_ENDING);
        }

        @Override
        public void handleMessage(SoapMessage message) throws Fault {
            XMLStreamWriter original = (XMLStreamWriter) message.remove(ORIGINAL_WRITER);
            if (original == null || !(message.getContent(XMLStreamWriter.class) instanceof W3CDOMStreamWriter answer)) {
                throw new Fault(new IllegalStateException("the answer was not written into a document to sign"));
            }
            try {
                Document document = answer.getDocument();
                sign(document, CorrelationId.request(message));
                DomStreamWriter.writeChildren(document, original);
                original.flush();
            } catch (WSSecurityException | XMLStreamException e) {
                throw new Fault(e);
            }
            message.setContent(XMLStreamWriter.class, original);
        }
    }

    /** The store WSS4J reads the key under {@code alias} from, with the key as prepared at start; for tests. */
    PreparedKeyCrypto cryptoOf(String alias) {
        return keys.stream().filter(k -> k.alias().equals(alias)).findFirst().orElseThrow().crypto();
    }

    private Prepared keyFor(GatewayRequest request) {
        if (request.isAuthenticated()) {
            String family = request.message().certificate().getPublicKey().getAlgorithm();
            for (Prepared key : keys) {
                if (key.family().equals(family)) {
                    return key;
                }
            }
        }
        return keys.get(0);
    }

    /**
     * The store of one response key whose private key is the one prepared at start: WSS4J asks for it by alias for
     * every signature, and a plain {@link Merlin} would hand out the key store's (JDK) key object, which
     * BouncyCastle would convert again on every signature.
     */
    static final class PreparedKeyCrypto extends Merlin {

        private final String alias;
        private final SigningProvider.PreparedKey signingKey;

        PreparedKeyCrypto(String alias, SigningProvider.PreparedKey signingKey) {
            this.alias = alias;
            this.signingKey = signingKey;
        }

        SigningProvider.PreparedKey signingKey() {
            return signingKey;
        }

        @Override
        public PrivateKey getPrivateKey(String identifier, String password) throws WSSecurityException {
            return alias.equals(identifier) ? signingKey.key() : super.getPrivateKey(identifier, password);
        }

        @Override
        public PrivateKey getPrivateKey(X509Certificate certificate, CallbackHandler callbackHandler)
                throws WSSecurityException {
            return isOurs(certificate.getPublicKey()) ? signingKey.key()
                    : super.getPrivateKey(certificate, callbackHandler);
        }

        @Override
        public PrivateKey getPrivateKey(PublicKey publicKey, CallbackHandler callbackHandler) throws WSSecurityException {
            return isOurs(publicKey) ? signingKey.key() : super.getPrivateKey(publicKey, callbackHandler);
        }

        private boolean isOurs(PublicKey publicKey) {
            try {
                Certificate own = getKeyStore().getCertificate(alias);
                return own != null && own.getPublicKey().equals(publicKey);
            } catch (java.security.KeyStoreException e) {
                return false;
            }
        }
    }
}
