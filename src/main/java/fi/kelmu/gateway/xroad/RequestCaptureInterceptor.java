package fi.kelmu.gateway.xroad;

import fi.kelmu.gateway.fault.CorrelationId;
import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.interceptor.Fault;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.cxf.message.Message;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

/**
 * First step of every request: starts its correlation id, reads the raw request up to the size limit
 * (a larger request is refused before it is parsed) and keeps the SHA-512 hash of the raw bytes for
 * the X-Road {@code requestHash} response header.
 */
public final class RequestCaptureInterceptor extends AbstractPhaseInterceptor<SoapMessage> {

    public static final String REQUEST_HASH_ALGORITHM = "http://www.w3.org/2001/04/xmlenc#sha512";
    static final String REQUEST_HASH_KEY = RequestCaptureInterceptor.class.getName() + ".requestHash";

    private final long maxRequestBytes;

    public RequestCaptureInterceptor(long maxRequestBytes) {
        super(Phase.RECEIVE);
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void handleMessage(SoapMessage message) throws Fault {
        CorrelationId.start(message);
        // X-Road: the charset defaults to UTF-8, not HTTP's ISO-8859-1; the response follows the request
        Object contentType = message.get(Message.CONTENT_TYPE);
        if (contentType == null || !contentType.toString().toLowerCase(java.util.Locale.ROOT).contains("charset")) {
            message.put(Message.ENCODING, "UTF-8");
        }
        InputStream in = message.getContent(InputStream.class);
        if (in == null) {
            return;
        }
        if (message.get(AbstractHTTPDestination.HTTP_REQUEST) instanceof HttpServletRequest http
                && http.getContentLengthLong() > maxRequestBytes) {
            throw tooLarge("declared Content-Length " + http.getContentLengthLong());
        }
        byte[] raw = readAtMost(in);
        message.setContent(InputStream.class, new ByteArrayInputStream(raw));
        message.getExchange().put(REQUEST_HASH_KEY, sha512(raw));
    }

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
