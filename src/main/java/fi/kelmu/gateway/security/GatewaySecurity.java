package fi.kelmu.gateway.security;

import fi.kelmu.gateway.config.GatewayConfig;
import fi.kelmu.gateway.mandate.MandateAssertion;
import fi.kelmu.gateway.mandate.MandateAssertionInterceptor;
import fi.kelmu.gateway.mandate.MandateAssertionVerifier;
import org.apache.cxf.interceptor.Interceptor;
import org.apache.cxf.message.Message;
import fi.kelmu.gateway.registry.OrganisationRegistry;
import fi.kelmu.gateway.security.pki.SandboxPki;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.apache.cxf.ws.security.wss4j.WSS4JOutInterceptor;
import org.apache.wss4j.common.crypto.Merlin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the message-security stage from configuration: trust store and CRLs, timestamp window, replay
 * cache, response signing key. In sandbox mode the demo PKI is created first; production refuses to start
 * with any sandbox certificate in its trust material.
 */
public final class GatewaySecurity {

    /** The X-Road headers every request signature must cover. */
    public static final List<QName> SIGNED_HEADERS = List.of("client", "service", "id", "userId", "issue",
            "protocolVersion").stream().map(h -> new QName(XRoadHeaders.NS, h)).toList();
    /**
     * What a request signature covers besides Body and Timestamp: the X-Road headers and, when the request
     * carries one, the MandateAssertion (issue 4 item 1: so it cannot be lifted into another message).
     */
    public static final List<QName> REQUEST_SIGNED_PARTS = java.util.stream.Stream.concat(SIGNED_HEADERS.stream(),
            java.util.stream.Stream.of(MandateAssertion.QNAME)).toList();
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySecurity.class);

    private final MessageSecurityInterceptor requestInterceptor;
    private final WSS4JOutInterceptor responseSigning;
    private final MandateAssertionInterceptor mandateAssertionInterceptor;

    private GatewaySecurity(MessageSecurityInterceptor requestInterceptor, WSS4JOutInterceptor responseSigning,
            MandateAssertionInterceptor mandateAssertionInterceptor) {
        this.requestInterceptor = requestInterceptor;
        this.responseSigning = responseSigning;
        this.mandateAssertionInterceptor = mandateAssertionInterceptor;
    }

    /** The request stages of message security, in order: message signature, then mandate assertion. */
    public List<Interceptor<? extends Message>> requestStages() {
        return List.of(requestInterceptor, mandateAssertionInterceptor);
    }

    public static GatewaySecurity configure(GatewayConfig config, OrganisationRegistry registry) {
        if (config.isSandbox() && config.get("kelmu.security.sandbox-pki.dir") != null) {
            SandboxPki pki = SandboxPki.ensure(Path.of(config.required("kelmu.security.sandbox-pki.dir")),
                    registry.all().stream().map(o -> new SandboxPki.Member(o.businessId(), o.name())).toList());
            LOG.info("sandbox PKI (SANDBOX keys, password 'sandbox') in {}", pki.directory().toAbsolutePath());
        }
        KeyStore trustStore = SecurityMaterial.keyStore(Path.of(config.required("kelmu.security.truststore.file")),
                password(config, "kelmu.security.truststore.password"));
        String crlFiles = config.get("kelmu.security.crl.files");
        List<Path> crlPaths = crlFiles == null ? List.of()
                : Arrays.stream(crlFiles.split(",")).map(String::strip).filter(f -> !f.isEmpty()).map(Path::of).toList();
        if (!config.isSandbox()) {
            refuseSandboxCertificates("kelmu.security.truststore.file", SecurityMaterial.certificates(trustStore));
        }
        Clock clock = Clock.systemUTC();
        int ttl = config.integer("kelmu.security.timestamp.ttl-seconds");
        int skew = config.integer("kelmu.security.clock-skew-seconds");
        CrlSource crls = new CrlSource(crlPaths, Duration.ofSeconds(config.integer("kelmu.security.crl.refresh-seconds")),
                clock);
        CertificateTrust trust = new CertificateTrust(trustStore, crls::current,
                config.bool("kelmu.security.revocation-check"),
                Duration.ofSeconds(config.integer("kelmu.security.trust-cache-seconds")), clock);
        Merlin tokenCrypto = new Merlin();
        tokenCrypto.setTrustStore(trustStore);
        MessageSignatureVerifier verifier = new MessageSignatureVerifier(tokenCrypto, trust, ttl, skew,
                SIGNED_HEADERS, Set.of(MandateAssertion.QNAME));
        MessageSecurityInterceptor interceptor = new MessageSecurityInterceptor(verifier, registry,
                new InMemoryReplayCache(clock), Duration.ofSeconds((long) ttl + 2L * skew));

        WSS4JOutInterceptor signing = null;
        if (config.bool("kelmu.security.response-signing.enabled")) {
            char[] keyPassword = password(config, "kelmu.security.gateway-keystore.password");
            KeyStore gatewayKeys = SecurityMaterial.keyStore(
                    Path.of(config.required("kelmu.security.gateway-keystore.file")), keyPassword);
            if (!config.isSandbox()) {
                refuseSandboxCertificates("kelmu.security.gateway-keystore.file", SecurityMaterial.certificates(gatewayKeys));
            }
            signing = OutboundSigning.interceptor(gatewayKeys, config.required("kelmu.security.gateway-keystore.alias"),
                    keyPassword, ttl);
        }
        return new GatewaySecurity(interceptor, signing, mandateAssertions(config, skew, clock));
    }

    /** Issue 4 item 1: mandate assertions are trusted only from the pinned issuer certificates. */
    private static MandateAssertionInterceptor mandateAssertions(GatewayConfig config, int skew, Clock clock) {
        List<X509Certificate> issuers = SecurityMaterial.certificates(SecurityMaterial.keyStore(
                Path.of(config.required("kelmu.mandate.issuer-truststore.file")),
                password(config, "kelmu.mandate.issuer-truststore.password")));
        if (issuers.isEmpty()) {
            throw new IllegalStateException("kelmu.mandate.issuer-truststore.file holds no issuer certificate");
        }
        if (!config.isSandbox()) {
            refuseSandboxCertificates("kelmu.mandate.issuer-truststore.file", issuers);
        }
        return new MandateAssertionInterceptor(new MandateAssertionVerifier(issuers, Duration.ofSeconds(skew),
                Duration.ofSeconds(config.integer("kelmu.mandate.assertion.max-lifetime-seconds")), clock));
    }

    public MessageSecurityInterceptor requestInterceptor() {
        return requestInterceptor;
    }

    /** The response signer, or null when response signing is off. */
    public WSS4JOutInterceptor responseSigning() {
        return responseSigning;
    }

    /** Production mode must never trust, or sign with, the published sandbox keys. */
    public static void refuseSandboxCertificates(String property, List<X509Certificate> certificates) {
        for (X509Certificate c : certificates) {
            if (SandboxPki.isSandboxCertificate(c)) {
                throw new IllegalStateException("production mode refuses sandbox keys: " + property + " holds "
                        + c.getSubjectX500Principal().getName());
            }
        }
    }

    static char[] password(GatewayConfig config, String key) {
        String value = config.get(key);
        return value == null ? new char[0] : value.toCharArray();
    }
}
