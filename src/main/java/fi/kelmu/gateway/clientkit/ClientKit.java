package fi.kelmu.gateway.clientkit;

import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.mandate.MandateAssertionIssuer;
import fi.kelmu.gateway.security.CertificateTrust;
import fi.kelmu.gateway.transport.AccessReceiptHeader;
import fi.kelmu.gateway.transport.InboundChain;
import fi.kelmu.gateway.xml.Dom;
import fi.kelmu.gateway.security.MessageSignatureVerifier;
import fi.kelmu.gateway.security.MessageSigner;
import fi.kelmu.gateway.security.SecurityMaterial;
import fi.kelmu.gateway.security.VerifiedMessage;
import fi.kelmu.gateway.security.OrganisationIdentity;
import fi.kelmu.gateway.transport.RequestCaptureInterceptor;
import fi.kelmu.gateway.transport.ServiceEndpoints;
import fi.kelmu.gateway.xroad.XRoadHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.wss4j.common.crypto.Merlin;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The client kit for test harnesses and integrators: wraps a request body in a SOAP envelope with X-Road
 * headers, signs it (WS-Security, fresh Timestamp) with an organisation's PKCS#12 key, sends it, verifies
 * the gateway's response signature and that the response answers this request (requestHash), and prints it, with
 * the access receipt of an answer with client data (which the signature must cover).
 * <pre>
 * java -jar kelmu-gateway.jar client --keystore ORG.p12 --password PW --user-id FI010594Y9032 \
 *     --request BODY.xml [--url URL | --port N] [--trust TRUSTSTORE.p12 --trust-password PW] [--issue REF]
 *     [--save ANSWER.xml]
 *     [--mandate-issuer ISSUER.p12 --mandate-issuer-password PW --mandates ETUUSTIEDOT_MAKSUVAATIMUKSET]
 * </pre>
 * Without {@code --url} the request goes to the service whose message it is (BenefitInformationService,
 * PaymentDemandService or AccessService, by the body's namespace) on localhost, at the port of {@code --port}, else
 * of the environment's {@code KELMU_HTTP_PORT} (as the gateway reads it), else 8080.
 * With {@code --mandate-issuer} (or {@code --mandate-assertion FILE}) the request carries a signed
 * MandateAssertion header, which the message signature covers too. The answer is printed re-indented, which
 * breaks its signature; {@code --save} keeps its bytes exactly as received, which verify.
 * With {@code --security-server} it sends as an X-Road security server does to a gateway in X-Road mode: the
 * envelope unsigned, over TLS with the security server's client key; the answer then carries no WS-Security
 * signature to verify.
 * Exit status: 0 answered and verified, 1 SOAP fault (verified), 2 usage or verification failure, or the
 * gateway not reachable.
 */
public final class ClientKit {

    /** The environment variable of the gateway's listener port ({@code kelmu.http.port}). */
    public static final String PORT_VARIABLE = "KELMU_HTTP_PORT";
    public static final int DEFAULT_PORT = 8080;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final int ANSWER_TIMEOUT_SECONDS = 60;
    private static final String SOAP_NS = Dom.SOAP_NS;
    private static final String ID_NS = XRoadHeaders.ID_NS;
    /** The namespace of BenefitInformationService's messages (xsd/benefit-information.xsd): client data. */
    private static final String BENEFIT_NS = "urn:fi:kelmu:benefit:v1";
    /** The namespace of PaymentDemandService's messages (xsd/payment-demand.xsd): client data. */
    private static final String PAYMENT_DEMAND_NS = "urn:fi:kelmu:payment-demand:v1";
    /** The namespace of AccessService's messages (xsd/access-check.xsd). */
    private static final String ACCESS_NS = "urn:fi:kelmu:access:v1";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    /**
     * @param environment the process environment ({@code System.getenv()}); the default URL's port is its
     *                    {@value #PORT_VARIABLE}
     */
    public ClientKit(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
    }

    public int run(String[] args) {
        Map<String, String> options;
        URI url;
        try {
            options = parse(args);
            url = serviceUrl(options, environment);
        } catch (IllegalArgumentException e) {
            err.println("client: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            return send(options, url);
        } catch (Unreachable e) {
            err.println("client: " + e.getMessage());
            return 2;
        } catch (GatewayException e) {
            err.println("client: the response is not acceptable: " + e.faultCode().code() + ": " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("client: no such file: " + e.getFile());
            return 2;
        } catch (Exception e) {
            err.println("client: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            return 2;
        }
    }

    /**
     * Where the request goes: {@code --url}, or BenefitInformationService on localhost at the port of
     * {@code --port}, of {@value #PORT_VARIABLE} in the environment, or {@value #DEFAULT_PORT}.
     */
    static URI serviceUrl(Map<String, String> o, Map<String, String> environment) {
        if (o.containsKey("url")) {
            if (o.containsKey("port")) {
                throw new IllegalArgumentException("give --url or --port, not both");
            }
            try {
                URI url = new URI(o.get("url"));
                if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                    throw new URISyntaxException(o.get("url"), "not an http or https URL with a host");
                }
                return url;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--url " + o.get("url") + " is not an http or https URL");
            }
        }
        int port = DEFAULT_PORT;
        String fromEnvironment = environment.get(PORT_VARIABLE);
        if (o.containsKey("port")) {
            port = port(o.get("port"), "--port");
        } else if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            port = port(fromEnvironment.strip(), PORT_VARIABLE);
        }
        // behind X-Road the gateway listens on TLS only
        String scheme = o.containsKey("security-server") ? "https" : "http";
        return URI.create(scheme + "://localhost:" + port + ServiceEndpoints.BENEFIT_INFORMATION.path());
    }

    private static int port(String value, String source) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(source + " " + value + " is not a port number (1-65535)");
    }

    private int send(Map<String, String> o, URI url) throws Exception {
        boolean viaSecurityServer = o.containsKey("security-server");
        byte[] body;
        if (viaSecurityServer) {
            // X-Road mode: the client kit stands in for the security server, which has verified the client's
            // X-Road signature and sends the message on as plain SOAP over TLS with its own client certificate
            String memberCode = o.get("client");
            if (memberCode == null) {
                throw new IllegalArgumentException("--security-server needs --client Y-TUNNUS (the X-Road client)");
            }
            body = serialise(envelope(Files.readAllBytes(Path.of(o.get("request"))), memberCode, o));
        } else {
            char[] password = o.getOrDefault("password", "").toCharArray();
            KeyStore keys = SecurityMaterial.keyStore(Path.of(o.get("keystore")), password);
            MessageSigner signer = new MessageSigner(keys, o.get("alias"), password);
            String memberCode = o.getOrDefault("client", OrganisationIdentity.businessIdOf(signer.certificate())
                    .orElseThrow(() -> new IllegalArgumentException("the certificate names no Y-tunnus; give --client")));
            Document request = envelope(Files.readAllBytes(Path.of(o.get("request"))), memberCode, o);
            signer.sign(request, InboundChain.REQUEST_SIGNED_PARTS, Integer.parseInt(o.getOrDefault("ttl", "300")));
            body = serialise(request);
        }

        if (!o.containsKey("url")) {
            // the default address names the service whose message the request is
            url = url.resolve(servicePath(body));
        }
        HttpResponse<byte[]> response = post(http(url, o), url, body);
        if (o.containsKey("save")) {
            // the proof: the bytes as the gateway sent them, which the signature was made over
            Files.write(Path.of(o.get("save")), response.body());
            err.println("client: answer saved to " + o.get("save") + " exactly as received ("
                    + response.body().length + " bytes)");
        }

        Document answer;
        try {
            answer = parse(response.body());
        } catch (SAXException e) {
            throw new IllegalStateException("the answer from " + url + " (HTTP status " + response.statusCode()
                    + ") is not XML: " + e.getMessage());
        }
        out.println(new String(pretty(answer), StandardCharsets.UTF_8));
        if (viaSecurityServer) {
            err.println("client: X-Road mode: the answer is not WS-Security signed (the security servers sign it)");
            printReceipt(answer, "not WS-Security signed");
        } else if (o.containsKey("trust")) {
            verifyResponse(answer, body, o);
            err.println("client: response signature verified: signed by the gateway, answers this request");
            printReceipt(answer, "covered by the verified signature");
        } else {
            err.println("client: response signature NOT verified (give --trust)");
            printReceipt(answer, "NOT verified");
        }
        return response.statusCode() == 200 ? 0 : 1;
    }

    /**
     * The HTTP client: for an https URL, trusting the server certificate by {@code --tls-trust} (else the JDK's
     * default CAs) and presenting the TLS client key of {@code --security-server}, if given.
     */
    private static HttpClient http(URI url, Map<String, String> o) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS));
        if (!"https".equals(url.getScheme())) {
            return builder.build();
        }
        KeyManagerFactory keys = null;
        if (o.containsKey("security-server")) {
            char[] password = o.getOrDefault("security-server-password", "").toCharArray();
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(SecurityMaterial.keyStore(Path.of(o.get("security-server")), password), password);
        }
        TrustManagerFactory trust = null;
        if (o.containsKey("tls-trust")) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(SecurityMaterial.keyStore(Path.of(o.get("tls-trust")),
                    o.getOrDefault("tls-trust-password", "").toCharArray()));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return builder.sslContext(context).build();
    }

    /** Sends the request; a gateway that cannot be reached or does not answer is {@link Unreachable}. */
    private static HttpResponse<byte[]> post(HttpClient http, URI url, byte[] body) throws InterruptedException,
            Unreachable {
        try {
            return http.send(HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(ANSWER_TIMEOUT_SECONDS))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("cannot connect to " + url + ": no connection within " + CONNECT_TIMEOUT_SECONDS
                    + " seconds");
        } catch (HttpTimeoutException e) {
            throw new Unreachable("no answer from " + url + " within " + ANSWER_TIMEOUT_SECONDS + " seconds");
        } catch (ConnectException e) {
            // the JDK's client says little: the reason is in the cause, if anywhere
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UnresolvedAddressException) {
                    throw new Unreachable("cannot connect to " + url + ": unknown host " + url.getHost());
                }
            }
            throw new Unreachable("cannot connect to " + url + ": connection refused");
        } catch (IOException e) {
            throw new Unreachable("no answer from " + url + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }

    /** The gateway at the URL could not be reached or did not answer; the message says which, naming the URL. */
    private static final class Unreachable extends Exception {

        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    /** The access receipt of an answer with client data, on standard error: the record to ask the operator about. */
    private void printReceipt(Document answer, String how) {
        Element receipt = AccessReceiptHeader.of(answer);
        if (receipt != null) {
            err.println("client: access receipt " + AccessReceiptHeader.read(receipt) + " (" + how + "): the"
                    + " access-log record of this answer; access-log verify --receipt checks it is kept");
        }
    }

    /**
     * The gateway's signature must be valid, trusted, made by the expected provider, and over this request's hash;
     * an answer with client data must carry an access receipt the signature covers.
     */
    private static void verifyResponse(Document answer, byte[] request, Map<String, String> o) throws Exception {
        VerifiedMessage verified = verifySignature(answer, o);
        boolean fault = answer.getElementsByTagNameNS(Dom.SOAP_NS, "Fault").getLength() > 0;
        Element receipt = AccessReceiptHeader.of(answer);
        if (!fault && carriesClientData(answer) && (receipt == null || !verified.covers(receipt))) {
            throw new IllegalStateException("the answer carries client data but no access receipt the gateway's"
                    + " signature covers");
        }
        if (receipt != null) {
            AccessReceiptHeader.read(receipt); // well formed, or not acceptable
        }
        Element hash = (Element) answer.getElementsByTagNameNS(XRoadHeaders.NS, "requestHash").item(0);
        if (hash == null && fault) {
            return; // a fault raised before the request's headers were accepted echoes none
        }
        String expectedHash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(request));
        if (hash == null || !verified.covers(hash) || !expectedHash.equals(hash.getTextContent().strip())
                || !RequestCaptureInterceptor.REQUEST_HASH_ALGORITHM.equals(hash.getAttribute("algorithmId"))) {
            throw new IllegalStateException("the response's signed requestHash does not match this request");
        }
    }

    /**
     * The answer's signature is valid, trusted by {@code --trust} and made by the service provider
     * ({@code --service-member-code}); whether it answers this request is {@code verifyResponse}'s part.
     */
    static VerifiedMessage verifySignature(Document answer, Map<String, String> o) throws Exception {
        KeyStore trustStore = SecurityMaterial.keyStore(Path.of(o.get("trust")),
                o.getOrDefault("trust-password", "").toCharArray());
        Merlin tokens = new Merlin();
        tokens.setTrustStore(trustStore);
        List<QName> required = new ArrayList<>(XRoadHeaders.REQUEST_HEADERS);
        required.add(XRoadHeaders.REQUEST_HASH);
        required.add(AccessReceiptHeader.QNAME);
        CertificateTrust trust = new CertificateTrust(trustStore, List.of(), false, Duration.ZERO, Clock.systemUTC());
        VerifiedMessage verified = new MessageSignatureVerifier(tokens, trust, 300, 60, required, Set.of()).verify(answer);
        String provider = o.getOrDefault("service-member-code", "0246246-0");
        String signer = OrganisationIdentity.businessIdOf(verified.certificate()).orElse(null);
        if (!provider.equals(signer)) {
            throw new IllegalStateException("response signed by " + signer + ", not by the service provider " + provider);
        }
        return verified;
    }

    /** An answer of BenefitInformationService or PaymentDemandService (not a fault, not the self-check): client data. */
    private static boolean carriesClientData(Document answer) {
        Element body = Dom.firstChild(answer.getDocumentElement(), SOAP_NS, "Body");
        return body != null && Dom.children(body).stream().anyMatch(e -> BENEFIT_NS.equals(e.getNamespaceURI())
                || PAYMENT_DEMAND_NS.equals(e.getNamespaceURI()));
    }

    /** The path of the service whose message {@code envelope} carries, by its body element's namespace. */
    static String servicePath(byte[] envelope) throws Exception {
        Element body = Dom.firstChild(parse(envelope).getDocumentElement(), SOAP_NS, "Body");
        String namespace = body == null ? null : firstElement(body).getNamespaceURI();
        if (PAYMENT_DEMAND_NS.equals(namespace)) {
            return ServiceEndpoints.PAYMENT_DEMAND.path();
        }
        if (ACCESS_NS.equals(namespace)) {
            return ServiceEndpoints.ACCESS.path();
        }
        return ServiceEndpoints.BENEFIT_INFORMATION.path();
    }

    /** A SOAP envelope with X-Road headers around the request body (a bare body element, or an envelope's Body). */
    static Document envelope(byte[] requestFile, String memberCode, Map<String, String> o) throws Exception {
        Document source = parse(requestFile);
        Element payload = source.getDocumentElement();
        if (SOAP_NS.equals(payload.getNamespaceURI()) && "Envelope".equals(payload.getLocalName())) {
            Element bodyElement = (Element) payload.getElementsByTagNameNS(SOAP_NS, "Body").item(0);
            payload = firstElement(bodyElement);
        }
        Document doc = newDocument();
        Element envelope = doc.createElementNS(SOAP_NS, "soapenv:Envelope");
        doc.appendChild(envelope);
        Element header = doc.createElementNS(SOAP_NS, "soapenv:Header");
        Element body = doc.createElementNS(SOAP_NS, "soapenv:Body");
        envelope.appendChild(header);
        envelope.appendChild(body);
        Element client = identifier(doc, "client", o.containsKey("subsystem") ? "SUBSYSTEM" : "MEMBER");
        child(doc, client, "xRoadInstance", o.getOrDefault("instance", "FI"));
        child(doc, client, "memberClass", o.getOrDefault("member-class", "GOV"));
        child(doc, client, "memberCode", memberCode);
        if (o.containsKey("subsystem")) {
            child(doc, client, "subsystemCode", o.get("subsystem"));
        }
        Element service = identifier(doc, "service", "SERVICE");
        child(doc, service, "xRoadInstance", o.getOrDefault("instance", "FI"));
        child(doc, service, "memberClass", o.getOrDefault("service-member-class", "GOV"));
        child(doc, service, "memberCode", o.getOrDefault("service-member-code", "0246246-0"));
        child(doc, service, "subsystemCode", o.getOrDefault("service-subsystem", "kelmu"));
        child(doc, service, "serviceCode", o.getOrDefault("service-code", payload.getLocalName()));
        child(doc, service, "serviceVersion", o.getOrDefault("service-version", "v1"));
        header.appendChild(client);
        header.appendChild(service);
        header.appendChild(text(doc, "id", o.getOrDefault("id", UUID.randomUUID().toString())));
        header.appendChild(text(doc, "userId", o.get("user-id")));
        header.appendChild(text(doc, "issue", o.getOrDefault("issue", "kelmu-client-kit")));
        header.appendChild(text(doc, "protocolVersion", XRoadHeaders.PROTOCOL_VERSION));
        Document assertion = mandateAssertion(memberCode, o);
        if (assertion != null) {
            header.appendChild(doc.importNode(assertion.getDocumentElement(), true));
        }
        body.appendChild(doc.importNode(payload, true));
        // a DOM built in memory lacks namespace declaration attributes, which canonicalisation needs:
        // sign exactly what a receiver will parse
        return parse(serialise(doc));
    }

    /**
     * The MandateAssertion to send, if any: a signed one from a file ({@code --mandate-assertion}), or one
     * issued here for the request's user and organisation with an issuer key ({@code --mandate-issuer},
     * {@code --mandates}), as a test harness acting for the mandate issuer does (sandbox issuer key).
     */
    private static Document mandateAssertion(String memberCode, Map<String, String> o) throws Exception {
        if (o.containsKey("mandate-assertion")) {
            return parse(Files.readAllBytes(Path.of(o.get("mandate-assertion"))));
        }
        if (!o.containsKey("mandate-issuer")) {
            return null;
        }
        if (!o.containsKey("mandates")) {
            throw new IllegalArgumentException("--mandate-issuer needs --mandates CODE[,CODE...]");
        }
        char[] password = o.getOrDefault("mandate-issuer-password", "").toCharArray();
        KeyStore store = SecurityMaterial.keyStore(Path.of(o.get("mandate-issuer")), password);
        String alias = o.getOrDefault("mandate-issuer-alias", store.aliases().nextElement());
        MandateAssertionIssuer issuer = new MandateAssertionIssuer(o.getOrDefault("mandate-issuer-name", "kelmu client kit"),
                (java.security.PrivateKey) store.getKey(alias, password), (java.security.cert.X509Certificate) store.getCertificate(alias));
        java.time.Instant now = java.time.Instant.now();
        return issuer.issue(XRoadHeaders.hetuOf(o.get("user-id")), memberCode, List.of(o.get("mandates").split(",")), now.minusSeconds(60),
                now.plusSeconds(60L * Integer.parseInt(o.getOrDefault("mandate-valid-minutes", "60"))));
    }

    private static Element identifier(Document doc, String name, String objectType) {
        Element e = doc.createElementNS(XRoadHeaders.NS, "xrd:" + name);
        e.setAttributeNS(ID_NS, "id:objectType", objectType);
        return e;
    }

    private static void child(Document doc, Element parent, String name, String value) {
        Element e = doc.createElementNS(ID_NS, "id:" + name);
        e.setTextContent(value);
        parent.appendChild(e);
    }

    private static Element text(Document doc, String name, String value) {
        Element e = doc.createElementNS(XRoadHeaders.NS, "xrd:" + name);
        e.setTextContent(value);
        return e;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        throw new IllegalArgumentException("the request's Body is empty");
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        for (String required : List.of("request", "user-id")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        if (options.containsKey("keystore") == options.containsKey("security-server")) {
            throw new IllegalArgumentException("give --keystore (sign as the organisation) or --security-server"
                    + " (X-Road mode), one of them");
        }
        return options;
    }

    static String usage() {
        return """
                usage: java -jar kelmu-gateway.jar client --keystore ORG.p12 --password PW --user-id FI<henkilötunnus>
                         --request BODY.xml [--url URL | --port N] [--trust TRUSTSTORE.p12 --trust-password PW]
                         [--save ANSWER.xml] [--tls-trust TRUSTSTORE.p12 --tls-trust-password PW]
                   or, for a gateway in X-Road mode (unsigned SOAP over TLS, as a security server sends it):
                       java -jar kelmu-gateway.jar client --security-server SS.p12 --security-server-password PW
                         --client Y-TUNNUS --user-id FI<henkilötunnus> --request BODY.xml
                         --tls-trust TRUSTSTORE.p12 --tls-trust-password PW [--url URL | --port N] [--save ANSWER.xml]
                         [--issue REF] [--member-class GOV|MUN] [--subsystem CODE] [--client Y-TUNNUS] [--alias A]
                         [--service-code CODE] [--id MESSAGE-ID] [--ttl SECONDS]
                         [--mandate-assertion SIGNED-ASSERTION.xml]
                         [--mandate-issuer ISSUER.p12 --mandate-issuer-password PW --mandates CODE[,CODE]
                          [--mandate-valid-minutes N] [--mandate-issuer-name NAME]]
                  --url    the service's URL; default http://localhost:PORT/ws/<the service of the request> (https with
                           --security-server), where PORT is --port, else the environment's KELMU_HTTP_PORT, else 8080
                  --tls-trust  trust store of the gateway's TLS certificate, for an https URL (default: the JDK's CAs)
                  --save   writes the answer exactly as received: its signature verifies, unlike the
                           re-indented answer printed on standard output
                  --trust  verifies the gateway's signature on the answer; an answer with client data must then carry
                           an access receipt it covers (printed on standard error: access-log verify --receipt)
                exit status: 0 answered and verified, 1 a (verified) SOAP fault, 2 a usage or verification
                failure, or the gateway not reachable""";
    }

    private static Document newDocument() throws Exception {
        return factory().newDocumentBuilder().newDocument();
    }

    static Document parse(byte[] xml) throws Exception {
        return factory().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static DocumentBuilderFactory factory() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        return f;
    }

    public static byte[] serialise(Document doc) throws Exception {
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        t.transform(new DOMSource(doc), new StreamResult(buffer));
        return buffer.toByteArray();
    }

    private static byte[] pretty(Document doc) throws Exception {
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.INDENT, "yes");
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        t.transform(new DOMSource(doc.cloneNode(true)), new StreamResult(buffer));
        return buffer.toByteArray();
    }
}
