package fi.kelmu.gateway.transport;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.dom.WSConstants;

/**
 * WS-Security signing of outgoing messages in a CXF chain (one key, BinarySecurityToken by direct
 * reference) over the Body, the Timestamp and the X-Road headers present, requestHash included: each of
 * {@link XRoadHeaders#REQUEST_HEADERS} is an optional part, signed when the message carries it (the optional
 * {@code issue} and {@code securityServer} only when the request sent them), and the access receipt of an answer
 * with client data ({@link AccessReceiptHeader}). The gateway
 * signs its responses with it, so a caller can prove what it received and that the answer belongs to its
 * request; a CXF client (test harness) signs its requests with it.
 */
public final class OutboundSigning {

    private static final String CRYPTO_REF = "kelmu.gatewaySigningCrypto";

    /** The headers signed when a message carries them: the X-Road headers, requestHash, the access receipt. */
    static final List<QName> OPTIONAL_PARTS = Stream.concat(XRoadHeaders.REQUEST_HEADERS.stream(),
            Stream.of(XRoadHeaders.REQUEST_HASH, AccessReceiptHeader.QNAME)).toList();

    private OutboundSigning() {
    }

    /**
     * The options of a signing interceptor but its key (user, crypto, algorithm): Timestamp and signature over the
     * Body, the Timestamp and the X-Road headers and access receipt present, BinarySecurityToken by direct
     * reference, SHA-256.
     */
    static Map<String, Object> options(CallbackHandler passwords, int ttlSeconds) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " " + ConfigurationConstants.SIGNATURE);
        p.put(ConfigurationConstants.PW_CALLBACK_REF, passwords);
        p.put(ConfigurationConstants.SIG_KEY_ID, "DirectReference");
        p.put(ConfigurationConstants.SIG_DIGEST_ALGO, WSConstants.SHA256);
        p.put(ConfigurationConstants.SIG_C14N_ALGO, WSConstants.C14N_EXCL_OMIT_COMMENTS);
        p.put(ConfigurationConstants.ADD_INCLUSIVE_PREFIXES, "false");
        p.put(ConfigurationConstants.MUST_UNDERSTAND, "false");
        p.put(ConfigurationConstants.TTL_TIMESTAMP, Integer.toString(ttlSeconds));
        p.put(ConfigurationConstants.SIGNATURE_PARTS, "{Element}{" + WSConstants.URI_SOAP11_ENV + "}Body;"
                + "{Element}{" + WSConstants.WSU_NS + "}Timestamp");
        StringBuilder optional = new StringBuilder();
        for (QName header : OPTIONAL_PARTS) {
            optional.append("{Element}").append(header).append(';');
        }
        p.put(ConfigurationConstants.OPTIONAL_SIGNATURE_PARTS, optional.toString());
        return p;
    }

    /** The signature algorithm of a certificate's key: ECDSA-SHA256 for an EC key, RSA-SHA256 otherwise. */
    static String signatureAlgorithm(Certificate certificate) {
        return "EC".equals(certificate.getPublicKey().getAlgorithm()) ? WSConstants.ECDSA_SHA256 : WSConstants.RSA_SHA256;
    }

    /** The certificate of the key under {@code alias}. */
    static Certificate certificate(KeyStore keyStore, String alias) {
        try {
            Certificate certificate = keyStore.getCertificate(alias);
            if (certificate == null) {
                throw new IllegalArgumentException("no certificate under alias " + alias);
            }
            return certificate;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("key store unreadable", e);
        }
    }

    public static WSS4JOutInterceptor interceptor(KeyStore keyStore, String alias, char[] password, int ttlSeconds) {
        Merlin crypto = new Merlin();
        crypto.setKeyStore(keyStore);
        String keyPassword = new String(password);
        CallbackHandler passwords = (Callback[] callbacks) -> {
            for (Callback callback : callbacks) {
                if (callback instanceof WSPasswordCallback pc) {
                    pc.setPassword(keyPassword);
                }
            }
        };
        Map<String, Object> p = options(passwords, ttlSeconds);
        p.put(ConfigurationConstants.SIGNATURE_USER, alias);
        p.put(ConfigurationConstants.SIG_PROP_REF_ID, CRYPTO_REF);
        p.put(CRYPTO_REF, crypto);
        p.put(ConfigurationConstants.SIG_ALGO, signatureAlgorithm(certificate(keyStore, alias)));
        return new WSS4JOutInterceptor(p);
    }
}
