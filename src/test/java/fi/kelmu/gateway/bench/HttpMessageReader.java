package fi.kelmu.gateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 messages off a kept-alive connection, as lightly as the benchmark needs: a response for the load
 * generator (status, body, whether the connection may be reused), a request for the backend process's answer memo
 * ({@link BenefitAnswerMemo}: method, target, headers, body). Bodies by Content-Length or chunked; a response
 * without either runs to the end of the stream. The caller buffers the stream; nothing here allocates per byte.
 */
final class HttpMessageReader {

    /** Longest header line accepted. */
    private static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE];

    HttpMessageReader(InputStream in) {
        this.in = in;
    }

    /** One response: status code, body, and whether the server keeps the connection open. */
    record Response(int status, byte[] body, boolean keepAlive) {

        /** A SOAP fault in the body (any status), by its faultcode when there is one. */
        String soapFault() {
            String text = new String(body, StandardCharsets.UTF_8);
            int fault = text.indexOf(":Fault>");
            if (fault < 0) {
                fault = text.indexOf("<Fault>");
            }
            if (fault < 0) {
                return null;
            }
            int code = text.indexOf("faultcode>");
            if (code < 0) {
                return "fault";
            }
            int end = text.indexOf('<', code);
            return end < 0 ? "fault" : text.substring(code + "faultcode>".length(), end).strip();
        }
    }

    /**
     * One request: method, request target (path and query), headers by lower-case name (the first of each), body,
     * and whether the client keeps the connection open.
     */
    record Request(String method, String target, Map<String, String> headers, byte[] body, boolean keepAlive) {
    }

    /** The head of a message: its first line and headers, and what the headers say about the body. */
    private record Head(String firstLine, Map<String, String> headers, long contentLength, boolean chunked,
            Boolean connectionKeepAlive) {
    }

    /** The next response; {@link EOFException} when the server closed the connection before its status line. */
    Response read() throws IOException {
        Head head = readHead("a response");
        // HTTP/1.1 200 OK
        String statusLine = head.firstLine();
        int space = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || space < 0 || statusLine.length() < space + 4) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(space + 1, space + 4));
        boolean keepAlive = keepAlive(statusLine.startsWith("HTTP/1.0"), head);
        byte[] body;
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (head.chunked() || head.contentLength() >= 0) {
            body = body(head);
        } else {
            body = in.readAllBytes();
            keepAlive = false;
        }
        return new Response(status, body, keepAlive);
    }

    /** The next request; {@link EOFException} when the client closed the connection before its request line. */
    Request readRequest() throws IOException {
        Head head = readHead("a request");
        // POST /path?query HTTP/1.1
        String[] parts = head.firstLine().split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            throw new IOException("not an HTTP request line: " + head.firstLine());
        }
        // a request without Content-Length or chunked encoding has no body
        byte[] body = head.chunked() || head.contentLength() >= 0 ? body(head) : new byte[0];
        return new Request(parts[0], parts[1], head.headers(), body, keepAlive("HTTP/1.0".equals(parts[2]), head));
    }

    private Head readHead(String what) throws IOException {
        String firstLine = readLine();
        if (firstLine == null) {
            throw new EOFException("connection closed before " + what);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        long contentLength = -1;
        boolean chunked = false;
        Boolean connectionKeepAlive = null;
        String header;
        while ((header = readLine()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            headers.putIfAbsent(name, value);
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) {
                        connectionKeepAlive = false;
                    } else if (v.contains("keep-alive")) {
                        connectionKeepAlive = true;
                    }
                }
                default -> {
                }
            }
        }
        if (header == null) {
            throw new EOFException("connection closed in the headers");
        }
        return new Head(firstLine, headers, contentLength, chunked, connectionKeepAlive);
    }

    /** HTTP/1.1 keeps a connection open unless told otherwise, HTTP/1.0 closes it unless told otherwise. */
    private static boolean keepAlive(boolean http10, Head head) {
        return head.connectionKeepAlive() != null ? head.connectionKeepAlive() : !http10;
    }

    private byte[] body(Head head) throws IOException {
        if (head.chunked()) {
            return readChunked();
        }
        byte[] body = in.readNBytes((int) head.contentLength());
        if (body.length < head.contentLength()) {
            throw new EOFException("body shorter than its Content-Length");
        }
        return body;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("connection closed in a chunk size");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                // trailers up to the empty line
                String trailer;
                while ((trailer = readLine()) != null && !trailer.isEmpty()) {
                    // ignored
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("connection closed in a chunk");
            }
            body.write(chunk);
            String end = readLine();
            if (end == null || !end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    /** A line without its CRLF (or LF), ISO-8859-1; null at the end of the stream before any byte. */
    private String readLine() throws IOException {
        int n = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int length = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (n == line.length) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = (byte) b;
        }
        if (n == 0) {
            return null;
        }
        throw new EOFException("connection closed in a line");
    }
}
