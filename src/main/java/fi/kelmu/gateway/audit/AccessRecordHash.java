package fi.kelmu.gateway.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash that chains access records (docs/access-log.md): lowercase hex of SHA-256 over the canonical
 * encoding below. Any change to a stored field, the record's place or the record before it changes the
 * hash, so an edited, removed or reordered record breaks the chain.
 *
 * <p>Canonical encoding, version 1: a sequence of items, each one of
 * <ul>
 *   <li>a string: byte {@code 0x01}, its UTF-8 length as a 4-byte big-endian unsigned integer, its UTF-8 bytes;</li>
 *   <li>absent (null): byte {@code 0x00};</li>
 *   <li>a list: byte {@code 0x02}, its element count as a 4-byte big-endian integer, each element as a string;</li>
 *   <li>a number: its value as an 8-byte big-endian two's-complement integer.</li>
 * </ul>
 * Every item carries its own length or type, so no two different records encode to the same bytes
 * (no separator can be forged inside a value). The items, in this order:
 * <ol>
 *   <li>the string {@code kelmu-access-log/1} (format and version);</li>
 *   <li>the sequence number (number);</li>
 *   <li>the previous record's hash (string; 64 zeros before the first record);</li>
 *   <li>event id, time, X-Road id, organisation Y-tunnus, organisation type (name or absent), user id
 *       (strings; time as {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'} in UTC);</li>
 *   <li>mandate codes (list), mandate proof (string or absent);</li>
 *   <li>purpose, operation, client henkilötunnus (strings);</li>
 *   <li>view names (list);</li>
 *   <li>outcome name (string), fault code such as {@code Client.MandateMissing} (string or absent),
 *       correlation id (string).</li>
 * </ol>
 * Changing any of this is a new version: records already written keep being verified with version 1.
 *
 * <p>Version 2, for a record with details (a payment demand's, docs/payment-demands.md): the format string is
 * {@code kelmu-access-log/2} and the details (string) follow the correlation id; everything else as version 1. A
 * record without details is encoded as version 1, so every record written before version 2 keeps its hash.
 */
public final class AccessRecordHash {

    /** The "previous hash" of the first record. */
    public static final String GENESIS = "0".repeat(64);

    static final String FORMAT = "kelmu-access-log/1";
    static final String FORMAT_WITH_DETAILS = "kelmu-access-log/2";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AccessRecordHash() {
    }

    /** The hash of {@code record} at {@code sequence}, following the record whose hash is {@code previousHash}. */
    public static String of(long sequence, AccessRecord record, String previousHash) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode(sequence, record,
                    previousHash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The canonical encoding described above. */
    static byte[] encode(long sequence, AccessRecord r, String previousHash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            string(out, r.details() == null ? FORMAT : FORMAT_WITH_DETAILS);
            out.writeLong(sequence);
            string(out, previousHash);
            string(out, r.eventId());
            string(out, TIME.format(r.time()));
            string(out, r.xroadId());
            string(out, r.organisationId());
            string(out, r.organisationType() == null ? null : r.organisationType().name());
            string(out, r.userId());
            list(out, r.mandates());
            string(out, r.mandateProof());
            string(out, r.purpose());
            string(out, r.operation());
            string(out, r.personId());
            list(out, r.views());
            string(out, r.outcome().name());
            string(out, r.faultCode() == null ? null : r.faultCode().code());
            string(out, r.correlationId());
            if (r.details() != null) {
                string(out, r.details());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeByte(0x00);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte(0x01);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void list(DataOutputStream out, List<String> values) throws IOException {
        out.writeByte(0x02);
        out.writeInt(values.size());
        for (String v : values) {
            string(out, v);
        }
    }
}
