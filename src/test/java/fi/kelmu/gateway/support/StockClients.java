package fi.kelmu.gateway.support;

import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import jakarta.xml.ws.BindingProvider;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.headers.Header;
import org.apache.cxf.ws.security.wss4j.WSS4JInInterceptor;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.ConfigurationConstants;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.common.ext.WSPasswordCallback;
import org.apache.wss4j.dom.WSConstants;

/** The stock CXF client set-up of the contract tests: CXF's own WSS4J interceptors at their defaults. */
public final class StockClients {

    private StockClients() {
    }

    /**
     * Sets up {@code port} as an integrator would with CXF alone: the X-Road headers as SOAP headers, a stock
     * {@code WSS4JOutInterceptor} signing Body, Timestamp and the X-Road headers with {@code alias} of {@code keyStore},
     * and a stock {@code WSS4JInInterceptor} verifying the answer against the sandbox truststore.
     */
    public static void signAndVerify(Object port, String memberCode, String serviceCode, String user,
            KeyStore keyStore, String alias, String signatureAlgorithm) {
        ((BindingProvider) port).getRequestContext().put(Header.HEADER_LIST,
                XRoadClientHeaders.of(memberCode, serviceCode, user));
        Client client = ClientProxy.getClient(port);
        Merlin keys = new Merlin();
        keys.setKeyStore(keyStore);
        CallbackHandler passwords = (Callback[] callbacks) -> {
            for (Callback callback : callbacks) {
                if (callback instanceof WSPasswordCallback pc) {
                    pc.setPassword(new String(SandboxPki.PASSWORD));
                }
            }
        };
        Map<String, Object> out = new HashMap<>();
        out.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " " + ConfigurationConstants.SIGNATURE);
        out.put(ConfigurationConstants.SIGNATURE_USER, alias);
        out.put(ConfigurationConstants.PW_CALLBACK_REF, passwords);
        out.put(ConfigurationConstants.SIG_PROP_REF_ID, "clientKeys");
        out.put("clientKeys", keys);
        out.put(ConfigurationConstants.SIG_KEY_ID, "DirectReference");
        out.put(ConfigurationConstants.SIG_ALGO, signatureAlgorithm);
        out.put(ConfigurationConstants.SIG_DIGEST_ALGO, WSConstants.SHA256);
        out.put(ConfigurationConstants.SIGNATURE_PARTS, Stream.concat(
                Stream.of("{Element}{" + Dom.SOAP_NS + "}Body", "{Element}{" + Dom.WSU_NS + "}Timestamp"),
                XRoadHeaders.REQUIRED_HEADERS.stream().map(h -> "{Element}" + h)).collect(Collectors.joining(";")));
        // issue and securityServer are signed when the client sends them
        out.put(ConfigurationConstants.OPTIONAL_SIGNATURE_PARTS, XRoadHeaders.OPTIONAL_HEADERS.stream()
                .map(h -> "{Element}" + h).collect(Collectors.joining(";")));
        client.getOutInterceptors().add(new WSS4JOutInterceptor(out));
        Merlin trust = new Merlin();
        trust.setTrustStore(SecurityMaterial.keyStore(TestGateway.pki().trustStore(), SandboxPki.PASSWORD));
        Map<String, Object> in = new HashMap<>();
        in.put(ConfigurationConstants.ACTION, ConfigurationConstants.TIMESTAMP + " " + ConfigurationConstants.SIGNATURE);
        in.put(ConfigurationConstants.SIG_VER_PROP_REF_ID, "gatewayTrust");
        in.put("gatewayTrust", trust);
        client.getInInterceptors().add(new WSS4JInInterceptor(in));
    }
}
