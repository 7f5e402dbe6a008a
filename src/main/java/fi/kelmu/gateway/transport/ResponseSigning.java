package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.request.GatewayRequest;
import fi.kelmu.gateway.security.GatewaySecurity.SigningKeyStore;
import java.security.cert.Certificate;
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

/**
 * Signs every answer with one of the gateway's keys: the one of the family (RSA or EC) the request was signed
 * with, so that a client whose stack verifies only its own family (xml-crypto, WCF verify RSA only) can verify
 * the answer; the first key when the gateway holds no key of that family or the request was refused before
 * its signature was read.
 */
public final class ResponseSigning extends WSS4JOutInterceptor {

    private record Prepared(String family, String alias, String algorithm, String cryptoRef, Merlin crypto) {
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
            Merlin crypto = new Merlin();
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
        super.handleMessage(message);
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
}
