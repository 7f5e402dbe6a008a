package fi.kelmu.gateway.transport;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import jakarta.xml.bind.UnmarshalException;
import fi.kelmu.gateway.xml.Dom;
import java.time.Duration;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamException;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.interceptor.Fault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Turns any failure into the SOAP fault of the fault table, once: stable code, a caller message without
 * internal details, and the correlation id; the precise reason is logged with the same correlation id.
 */
public final class FaultTranslator {

    public static final String SOAP11_ENV_NS = Dom.SOAP_NS;
    public static final String COMMON_NS = "urn:fi:kelmu:common:v1";
    private static final int MAX_CALLER_DETAIL = 300;
    private static final int MAX_LOGGED_REASON = 1000;
    /** Most log lines of one fault code in {@link #LOG_WINDOW}; the rest are counted (docs/operations.md). */
    static final int LOG_LINES_PER_WINDOW = 50;
    static final Duration LOG_WINDOW = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(FaultTranslator.class);

    private final FaultLogLimit logLimit;

    public FaultTranslator() {
        this(new FaultLogLimit(LOG_LINES_PER_WINDOW, LOG_WINDOW, System::nanoTime));
    }

    FaultTranslator(FaultLogLimit logLimit) {
        this.logLimit = logLimit;
    }

    /** A fault that has been translated and logged already; passes through unchanged. */
    public static final class GatewaySoapFault extends SoapFault {
        private static final long serialVersionUID = 1L;
        private final transient FaultCode faultCode;
        private final String correlationId;

        GatewaySoapFault(String message, FaultCode faultCode, String correlationId, Throwable cause) {
            super(message, cause, new QName(SOAP11_ENV_NS, faultCode.code()));
            this.faultCode = faultCode;
            this.correlationId = correlationId;
        }

        public FaultCode faultCode() {
            return faultCode;
        }

        public String correlationId() {
            return correlationId;
        }
    }

    /** Translates {@code failure}, logging the precise reason, unless it is translated already. */
    public GatewaySoapFault translate(Throwable failure, String correlationId) {
        GatewaySoapFault already = find(failure, GatewaySoapFault.class);
        if (already != null) {
            return already;
        }
        GatewayException gateway = find(failure, GatewayException.class);
        FaultCode code;
        String callerDetail;
        if (gateway != null) {
            code = gateway.faultCode();
            callerDetail = gateway.callerDetail();
        } else if (failure instanceof SoapFault soap && soap.getFaultCode() != null
                && "MustUnderstand".equals(soap.getFaultCode().getLocalPart())) {
            // a header marked mustUnderstand that no part of the gateway processes: the caller's to remove
            code = FaultCode.INVALID_HEADER;
            callerDetail = failure.getMessage();
        } else if (failure.getMessage() != null && failure.getMessage().startsWith("Could not validate soapheader")) {
            code = FaultCode.INVALID_HEADER;
            callerDetail = contractDetail(failure);
        } else if (isContractViolation(failure)) {
            code = FaultCode.INVALID_REQUEST;
            callerDetail = contractDetail(failure);
        } else {
            code = FaultCode.INTERNAL_ERROR;
            callerDetail = null;
        }
        // what the caller is told; the log keeps the precise code (docs/faults.md, table 8)
        FaultCode sent = code.sentAs();
        if (sent != code) {
            callerDetail = null;
        }
        String text = sent.message();
        if (callerDetail != null && !callerDetail.isBlank()) {
            text = text + " " + truncate(callerDetail);
        }
        text = text + " (correlation id " + correlationId + ")";
        log(code, sent, correlationId, failure, gateway);

        GatewaySoapFault fault = new GatewaySoapFault(text, sent, correlationId, failure);
        fault.setStatusCode(500);
        Element detail = fault.getOrCreateDetail();
        Document doc = detail.getOwnerDocument();
        Element info = doc.createElementNS(COMMON_NS, "cmn:gatewayFault");
        appendText(info, "code", sent.code());
        appendText(info, "message", text);
        appendText(info, "correlationId", correlationId);
        appendText(info, "faultTableVersion", FaultCode.TABLE_VERSION);
        detail.appendChild(info);
        return fault;
    }

    /**
     * One line per fault: a client fault without a stack trace (the caller's mistake, not the gateway's), a server
     * fault with the failure's (logback's configuration leaves out a stack trace repeated within a minute). At most
     * {@link #LOG_LINES_PER_WINDOW} lines of one code per {@link #LOG_WINDOW}; the next line after says how many
     * were left out.
     */
    private void log(FaultCode code, FaultCode sent, String correlationId, Throwable failure,
            GatewayException gateway) {
        FaultLogLimit.Verdict verdict = logLimit.admit(code);
        if (!verdict.write()) {
            return;
        }
        String reason = oneLine(gateway != null ? gateway.getMessage() : describe(failure));
        if (sent != code) {
            reason = reason + " (answered as " + sent.code() + ")";
        }
        if (verdict.leftOut() > 0) {
            reason = reason + " [" + verdict.leftOut() + " earlier " + code.code() + " faults not logged: more than "
                    + LOG_LINES_PER_WINDOW + " in " + LOG_WINDOW.toSeconds() + " s]";
        }
        if (code.isClientFault()) {
            LOG.warn("request refused: fault={} correlationId={} reason={}", code.code(), correlationId, reason);
        } else if (gateway != null) {
            LOG.error("request failed: fault={} correlationId={} reason={}", code.code(), correlationId, reason,
                    gateway.getCause());
        } else {
            LOG.error("request failed: fault={} correlationId={} reason={}", code.code(), correlationId, reason,
                    failure);
        }
    }

    /** A reason on one line, cut short: it may hold what a caller sent, line breaks included. */
    private static String oneLine(String reason) {
        String line = String.valueOf(reason).replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_LOGGED_REASON ? line : line.substring(0, MAX_LOGGED_REASON) + "...";
    }

    private static boolean isContractViolation(Throwable failure) {
        if (failure instanceof Fault fault && fault.getFaultCode() != null
                && "Client".equals(fault.getFaultCode().getLocalPart())) {
            return true;
        }
        return find(failure, UnmarshalException.class) != null
                || find(failure, SAXException.class) != null
                || find(failure, XMLStreamException.class) != null
                || failure instanceof Fault f && f.getMessage() != null
                        && (f.getMessage().startsWith("Unmarshalling Error")
                                || f.getMessage().startsWith("Unexpected wrapper element")
                                || f.getMessage().contains("No such operation"));
    }

    /**
     * What the schema or parser said about the caller's own input, without the input: useful to an integrator,
     * nothing internal, and no value the caller sent.
     */
    private static String contractDetail(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return null;
        }
        int cvc = message.indexOf("cvc-");
        if (cvc >= 0) {
            // the rule and the names, never the value the caller sent
            return SchemaMessages.withoutValues(message.substring(cvc));
        }
        if (message.startsWith("Unexpected wrapper element") || message.contains("No such operation")) {
            return "Unknown operation.";
        }
        return null;
    }

    private static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null && sb.length() < 2000; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_CALLER_DETAIL ? oneLine : oneLine.substring(0, MAX_CALLER_DETAIL) + "...";
    }

    private static void appendText(Element parent, String name, String value) {
        Element e = parent.getOwnerDocument().createElementNS(COMMON_NS, "cmn:" + name);
        e.setTextContent(value);
        parent.appendChild(e);
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
