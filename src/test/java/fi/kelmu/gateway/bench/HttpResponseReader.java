package fi.kelmu.gateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response off a kept-alive connection, as lightly as the load generator needs: the status,
 * the body (Content-Length, chunked, or up to the end of the stream) and whether the connection may be reused.
 * The caller buffers the stream; nothing here allocates per byte.
 */
final class HttpResponseReader {

    /** Longest header line accepted. */
    private static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE];

    HttpResponseReader(InputStream in) {
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

    /** The next response; {@link EOFException} when the server closed the connection before its status line. */
    Response read() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        // HTTP/1.1 200 OK
        int space = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || space < 0 || statusLine.length() < space + 4) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(space + 1, space + 4));
        boolean keepAlive = !statusLine.startsWith("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        String header;
        while ((header = readLine()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) {
                        keepAlive = false;
                    } else if (v.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
                default -> {
                }
            }
        }
        if (header == null) {
            throw new EOFException("connection closed in the headers");
        }
        byte[] body;
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = in.readNBytes((int) contentLength);
            if (body.length < contentLength) {
                throw new EOFException("body shorter than its Content-Length");
            }
        } else {
            body = in.readAllBytes();
            keepAlive = false;
        }
        return new Response(status, body, keepAlive);
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
