package fi.kelmu.gateway.security;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.wss4j.dom.WsuIdAllocator;

/**
 * The {@code wsu:Id} values of the answers the gateway signs: WSS4J's prefix ({@code TS-}, {@code SIG-},
 * {@code id-}...), then a value drawn at random once per gateway process, then a counter. Each is unique within its
 * answer and among every answer the process signs, and is an XML NCName.
 *
 * <p>WSS4J's own allocator draws a random UUID for every id, about a dozen an answer, each through the JVM's one
 * locked {@code SecureRandom}: under load the request threads queued there (docs/benchmark.md, "Locks that queue
 * the request threads"). An id only names an element for a reference of the signature, in a document its receiver
 * reads in full, so it has nothing to keep secret; what it must be is unique, which this is.
 */
public final class AnswerIds implements WsuIdAllocator {

    private final String process;
    private final AtomicLong next = new AtomicLong();

    public AnswerIds() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.process = HexFormat.of().formatHex(random);
    }

    @Override
    public String createId(String prefix, Object o) {
        // a hex value may begin with a digit: the prefix, or "id-" without one, keeps the id an NCName
        return (prefix == null || prefix.isEmpty() ? "id-" : prefix) + process + "-"
                + Long.toString(next.incrementAndGet(), 36);
    }

    @Override
    public String createSecureId(String prefix, Object o) {
        return createId(prefix, o);
    }
}
