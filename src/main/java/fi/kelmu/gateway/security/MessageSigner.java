package fi.kelmu.gateway.security;

import fi.kelmu.gateway.xml.Dom;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.wss4j.common.WSEncryptionPart;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.WSConstants;
import org.apache.wss4j.dom.engine.WSSConfig;
import org.apache.wss4j.dom.message.WSSecHeader;
import org.apache.wss4j.dom.message.WSSecSignature;
import org.apache.wss4j.dom.message.WSSecTimestamp;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Adds a WS-Security 1.1 header to a SOAP 1.1 envelope: a Timestamp and an XML signature made with one
 * PKCS#12 key, the certificate as a BinarySecurityToken referenced directly, over the Body, the Timestamp
 * and the named header elements present. RSA-SHA256, SHA-256 digests, exclusive C14N by default; the
 * algorithms can be changed for interoperability tests.
 */
public final class MessageSigner {

    private final Merlin crypto;
    private final String alias;
    private final String password;
    private final X509Certificate certificate;
    private String signatureAlgorithm;
    private String digestAlgorithm = WSConstants.SHA256;
    private Clock clock = Clock.systemUTC();
    private boolean mustUnderstand;

    public MessageSigner(KeyStore keyStore, String alias, char[] password) {
        try {
            String keyAlias = alias != null ? alias : firstKeyAlias(keyStore);
            if (!(keyStore.getKey(keyAlias, password) instanceof PrivateKey key)) {
                throw new IllegalArgumentException("no private key under alias " + keyAlias);
            }
            this.alias = keyAlias;
            this.certificate = (X509Certificate) keyStore.getCertificate(keyAlias);
            this.signatureAlgorithm = "EC".equals(key.getAlgorithm()) ? WSConstants.ECDSA_SHA256 : WSConstants.RSA_SHA256;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("key store unreadable: " + e.getMessage(), e);
        }
        WSSConfig.init();
        this.crypto = new Merlin();
        this.crypto.setKeyStore(keyStore);
        this.password = new String(password);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Another signature method (e.g. for a test that proves a weak one is refused). */
    public MessageSigner withSignatureAlgorithm(String algorithm) {
        this.signatureAlgorithm = algorithm;
        return this;
    }

    /** The clock the Timestamp is taken from (tests of stale and future messages). */
    public MessageSigner withClock(Clock timestampClock) {
        this.clock = timestampClock;
        return this;
    }

    /** Marks the Security header {@code mustUnderstand="1"}, as WSS4J, .NET and Metro clients do by default. */
    public MessageSigner withMustUnderstand(boolean value) {
        this.mustUnderstand = value;
        return this;
    }

    public MessageSigner withDigestAlgorithm(String algorithm) {
        this.digestAlgorithm = algorithm;
        return this;
    }

    /**
     * Signs {@code envelope} in place: Body, Timestamp and every direct Header child whose name is in
     * {@code headers}. Any Security header already there is replaced.
     */
    public Document sign(Document envelope, List<QName> headers, int timestampTtlSeconds) {
        try {
            removeSecurityHeaders(envelope);
            WSSecHeader securityHeader = new WSSecHeader(envelope);
            securityHeader.setMustUnderstand(mustUnderstand);
            securityHeader.insertSecurityHeader();

            WSSecTimestamp timestamp = new WSSecTimestamp(securityHeader);
            timestamp.setTimeToLive(timestampTtlSeconds);
            timestamp.setWsTimeSource(clock::instant);
            timestamp.build();

            WSSecSignature signature = new WSSecSignature(securityHeader);
            signature.setUserInfo(alias, password);
            signature.setKeyIdentifierType(WSConstants.BST_DIRECT_REFERENCE);
            signature.setSignatureAlgorithm(signatureAlgorithm);
            signature.setDigestAlgo(digestAlgorithm);
            signature.setSigCanonicalization(WSConstants.C14N_EXCL_OMIT_COMMENTS);
            signature.setAddInclusivePrefixes(false);
            signature.getParts().add(new WSEncryptionPart("Body", WSConstants.URI_SOAP11_ENV, "Element"));
            signature.getParts().add(new WSEncryptionPart("Timestamp", WSConstants.WSU_NS, "Element"));
            Element header = headerOf(envelope);
            for (QName name : headers) {
                if (header != null && hasChild(header, name)) {
                    signature.getParts().add(new WSEncryptionPart(name.getLocalPart(), name.getNamespaceURI(), "Element"));
                }
            }
            signature.build(crypto);
            return envelope;
        } catch (WSSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    private static void removeSecurityHeaders(Document envelope) {
        Element header = headerOf(envelope);
        if (header == null) {
            return;
        }
        for (Element child : Dom.children(header)) {
            if (WSConstants.WSSE_NS.equals(child.getNamespaceURI()) && "Security".equals(child.getLocalName())) {
                header.removeChild(child);
            }
        }
    }

    private static Element headerOf(Document envelope) {
        return Dom.soapHeader(envelope.getDocumentElement());
    }

    private static boolean hasChild(Element parent, QName name) {
        return Dom.firstChild(parent, name.getNamespaceURI(), name.getLocalPart()) != null;
    }

    private static String firstKeyAlias(KeyStore keyStore) throws KeyStoreException {
        for (String a : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(a)) {
                return a;
            }
        }
        throw new IllegalArgumentException("key store holds no private key");
    }
}
