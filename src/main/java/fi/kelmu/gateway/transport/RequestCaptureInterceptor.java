package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import fi.kelmu.gateway.request.GatewayRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import fi.kelmu.gateway.security.XmlPreScan;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.apache.cxf.binding.soap.model.SoapOperationInfo;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.apache.cxf.binding.soap.SoapBindingConstants;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.common.util.UrlUtils;
import org.apache.cxf.interceptor.Fault;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.cxf.message.Message;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

/**
 * First step of every request: starts its correlation id, reads the raw request up to the size limit
 * (a larger request is refused before it is parsed), scans it ({@link XmlPreScan}: no DTD or entities,
 * structure limits, one Envelope/Header/Body), refuses a SOAPAction that is not the body operation's,
 * and keeps the SHA-512 hash of the raw bytes for the X-Road {@code requestHash} response header.
 */
public final class RequestCaptureInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    public static final String REQUEST_HASH_ALGORITHM = "http://www.w3.org/2001/04/xmlenc#sha512";

    private final long maxRequestBytes;
    private final XmlPreScan preScan;

    public RequestCaptureInterceptor(long maxRequestBytes, XmlPreScan preScan) {
        super(Phase.RECEIVE);
        this.maxRequestBytes = maxRequestBytes;
        this.preScan = preScan;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        GatewayRequest request = CorrelationId.start(message);
        // X-Road: the charset defaults to UTF-8, not HTTP's ISO-8859-1; the response follows the request
        Object contentType = message.get(Message.CONTENT_TYPE);
        if (contentType == null || !contentType.toString().toLowerCase(java.util.Locale.ROOT).contains("charset")) {
            message.put(Message.ENCODING, "UTF-8");
        }
        Object method = message.get(Message.HTTP_REQUEST_METHOD);
        if ("GET".equals(method)) {
            if (isDocumentQuery(message)) {
                return; // ?wsdl carries no SOAP message: CXF's WSDL query handler answers it (ServedWsdl)
            }
            throw new GatewayException(FaultCode.INVALID_REQUEST, "Send SOAP requests with POST; GET serves ?wsdl only.",
                    "GET without a ?wsdl query");
        }
        if (!"POST".equals(method)) {
            throw new GatewayException(FaultCode.INVALID_REQUEST, "Send SOAP requests with POST.",
                    "HTTP method " + shortened(String.valueOf(method)) + " refused");
        }
        InputStream in = message.getContent(InputStream.class);
        if (in == null) {
            throw new GatewayException(FaultCode.INVALID_REQUEST, null, "a POST without a body");
        }
        long declared = message.get(AbstractHTTPDestination.HTTP_REQUEST) instanceof HttpServletRequest http
                ? http.getContentLengthLong() : -1;
        if (declared > maxRequestBytes) {
            throw tooLarge("declared Content-Length " + declared);
        }
        byte[] raw = declared >= 0 ? readDeclared(in, (int) declared) : readAtMost(in);
        QName operation = preScan.scan(raw, (String) message.get(Message.ENCODING));
        checkSoapAction(message, operation, request);
        message.setContent(InputStream.class, new ByteArrayInputStream(raw));
        request.requestHash(sha512(raw));
    }

    /** A query CXF's WSDL query handler takes: {@code ?wsdl} (or {@code ?xsd=}, which {@link ServedWsdl} refuses). */
    private static boolean isDocumentQuery(SoapMessage message) {
        Object query = message.get(Message.QUERY_STRING);
        if (query == null) {
            return false;
        }
        Map<String, String> parameters = UrlUtils.parseQueryString(query.toString());
        return parameters.containsKey("wsdl") || parameters.containsKey("xsd");
    }

    /** A value of the request for the log, cut short. */
    private static String shortened(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "...";
    }

    /**
     * A SOAPAction, when sent, must be the one the WSDL gives the body's operation: dispatch follows the
     * (signed) body, never a header the signature does not cover. A mismatch is noted and the header removed, so
     * that CXF dispatches on the body; the request is refused once its caller is authenticated
     * ({@link MessageSecurityInterceptor}), so that the refusal of a known caller is recorded.
     */
    @SuppressWarnings("unchecked")
    private static void checkSoapAction(SoapMessage message, QName bodyElement, GatewayRequest request) {
        Map<String, List<String>> http = (Map<String, List<String>>) message.get(Message.PROTOCOL_HEADERS);
        List<String> values = http == null ? null : http.get("SOAPAction");
        String sent = values == null || values.isEmpty() ? "" : values.get(0).strip();
        if (sent.length() >= 2 && sent.startsWith("\"") && sent.endsWith("\"")) {
            sent = sent.substring(1, sent.length() - 1);
        }
        if (sent.isEmpty() || bodyElement == null || message.getExchange().getEndpoint() == null) {
            return;
        }
        String expected = null;
        for (BindingOperationInfo operation : message.getExchange().getEndpoint().getEndpointInfo().getBinding()
                .getOperations()) {
            var parts = operation.getOperationInfo().getInput().getMessageParts();
            if (!parts.isEmpty() && bodyElement.equals(parts.get(0).getElementQName())) {
                SoapOperationInfo soap = operation.getExtensor(SoapOperationInfo.class);
                expected = soap == null ? "" : soap.getAction();
            }
        }
        if (expected != null && !expected.equals(sent)) {
            request.soapActionMismatch(new GatewayException(FaultCode.SOAP_ACTION_MISMATCH, null,
                    "SOAPAction '" + bounded(sent) + "' but the body's operation has '" + expected + "'"));
            http.remove("SOAPAction");
            message.remove(SoapBindingConstants.SOAP_ACTION);
        }
    }

    private static String bounded(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }

    /**
     * A body of a declared length, at most {@code kelmu.request.max-bytes} (checked before): read into one array of
     * that size, the HTTP layer delivering no more than declared. A body that ends early is what arrived.
     */
    private static byte[] readDeclared(InputStream in, int declared) {
        try {
            return in.readNBytes(declared);
        } catch (IOException e) {
            throw new GatewayException(FaultCode.INVALID_REQUEST, null, "request body could not be read", e);
        }
    }

    /** A body of no declared length (chunked), read until it ends or passes {@code kelmu.request.max-bytes}. */
    private byte[] readAtMost(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxRequestBytes) {
                    throw tooLarge("more than " + maxRequestBytes + " bytes read");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new GatewayException(FaultCode.INVALID_REQUEST, null, "request body could not be read", e);
        }
        return out.toByteArray();
    }

    private GatewayException tooLarge(String reason) {
        return new GatewayException(FaultCode.MESSAGE_TOO_LARGE,
                "The limit is " + maxRequestBytes + " bytes.", "request too large: " + reason);
    }

    private static String sha512(byte[] raw) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by the Java platform", e);
        }
    }
}
