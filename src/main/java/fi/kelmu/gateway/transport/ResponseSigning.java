package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.security.GatewaySecurity.SigningKeyStore;
import fi.kelmu.gateway.security.SigningProvider;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.common.ext.WSSecurityException;
import org.apache.wss4j.dom.handler.HandlerAction;
import org.apache.wss4j.dom.handler.RequestData;
import org.w3c.dom.Document;

/**
 * Signs every answer with one of the gateway's keys: the one of the family (RSA or EC) the request was signed
 * with, so that a client whose stack verifies only its own family (xml-crypto, WCF verify RSA only) can verify
 * the answer; the first key when the gateway holds no key of that family or the request was refused before
 * its signature was read.
 *
 * <p>Each key is read and prepared once, here: an EC key is converted into BouncyCastle's key object and signed
 * with through {@link SigningProvider#provider()}, passed to this interceptor's signatures only; an RSA key is
 * signed with by the JDK's providers ({@link SigningProvider}, docs/security.md).
 */
public final class ResponseSigning extends WSS4JOutInterceptor {

    /** The message property naming the key an answer is signed with (set in {@link #handleMessage}). */
    private static final String PREPARED_KEY = ResponseSigning.class.getName() + ".key";

    private record Prepared(String family, String alias, String algorithm, String cryptoRef, PreparedKeyCrypto crypto) {
    }

    private final List<Prepared> keys;

    private ResponseSigning(Map<String, Object> options, List<Prepared> keys) {
        super(options);
        this.keys = keys;
    }

    /** Signs with {@code keys}, the first the default; the Timestamp lives {@code ttlSeconds}. */
    public static ResponseSigning of(List<SigningKeyStore> keys, int ttlSeconds) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("response signing needs a key");
        }
        Map<String, char[]> passwords = new java.util.HashMap<>();
        List<Prepared> prepared = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            SigningKeyStore key = keys.get(i);
            PreparedKeyCrypto crypto = new PreparedKeyCrypto(key.alias(), SigningProvider.prepare(key.privateKey()));
            crypto.setKeyStore(key.keyStore());
            passwords.put(key.alias(), key.password());
            Certificate certificate = OutboundSigning.certificate(key.keyStore(), key.alias());
            prepared.add(new Prepared(certificate.getPublicKey().getAlgorithm(), key.alias(),
                    OutboundSigning.signatureAlgorithm(certificate), "kelmu.responseSigningCrypto." + i, crypto));
        }
        CallbackHandler callback = (Callback[] callbacks) -> {
            for (Callback c : callbacks) {
                if (c instanceof WSPasswordCallback pc && passwords.containsKey(pc.getIdentifier())) {
                    pc.setPassword(new String(passwords.get(pc.getIdentifier())));
                }
            }
        };
        return new ResponseSigning(OutboundSigning.options(callback, ttlSeconds), List.copyOf(prepared));
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        Prepared key = keyFor(CorrelationId.request(message));
        message.put(ConfigurationConstants.USER, key.alias());
        message.put(ConfigurationConstants.SIGNATURE_USER, key.alias());
        message.put(ConfigurationConstants.SIG_ALGO, key.algorithm());
        message.put(ConfigurationConstants.SIG_PROP_REF_ID, key.cryptoRef());
        message.put(key.cryptoRef(), key.crypto());
        message.put(PREPARED_KEY, key);
        super.handleMessage(message);
    }

    /** Signs with the provider of the answer's key (WSS4J's interceptor leaves it unset: the JVM's default). */
    @Override
    protected void doSenderAction(Document doc, RequestData reqData, List<HandlerAction> actions, boolean isRequest)
            throws WSSecurityException {
        if (reqData.getMsgContext() instanceof SoapMessage message && message.get(PREPARED_KEY) instanceof Prepared key) {
            reqData.setSignatureProvider(key.crypto().signingKey().provider());
        }
        super.doSenderAction(doc, reqData, actions, isRequest);
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
