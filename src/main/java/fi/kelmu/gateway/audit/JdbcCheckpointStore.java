package fi.kelmu.gateway.audit;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.fault.GatewayException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The access log's checkpoints in the gateway's database (table {@code access_log_checkpoint}, migration V4,
 * docs/access-log.md): inserted and selected only; the database refuses UPDATE and DELETE by trigger, as for
 * the records. One checkpoint per chain position: a second of the same position (another gateway sharing the
 * database got there first) is not inserted. Also reads what a checkpoint is compared with: the chain head and
 * a record's hash.
 */
public final class JdbcCheckpointStore {

    /** The chain head as the head row holds it: the last record's sequence number and hash (0 and zeros: none). */
    public record ChainHead(long sequence, String hash) {
    }

    private static final String INSERT = "INSERT INTO access_log_checkpoint (seq, chain_hash, checkpoint_time, "
            + "signature, certificate) VALUES (?, ?, ?, ?, ?)";
    private static final String LATEST = "SELECT seq, chain_hash, checkpoint_time, signature, certificate "
            + "FROM access_log_checkpoint ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY";
    private static final String LATEST_SEQUENCE = "SELECT MAX(seq) FROM access_log_checkpoint";
    private static final String HEAD = "SELECT last_seq, last_hash FROM access_log_head WHERE id = 1";
    private static final String RECORD_HASH = "SELECT record_hash FROM access_log WHERE seq = ?";
    // SQLSTATE of a unique or primary key violation, in H2 and PostgreSQL alike
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public JdbcCheckpointStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the checkpoint; false when the chain position already has one. */
    public boolean insert(Checkpoint checkpoint) {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setLong(1, checkpoint.sequence());
            insert.setString(2, checkpoint.chainHash());
            insert.setObject(3, OffsetDateTime.ofInstant(checkpoint.time(), ZoneOffset.UTC));
            insert.setString(4, Base64.getEncoder().encodeToString(checkpoint.signature()));
            insert.setString(5, Base64.getEncoder().encodeToString(checkpoint.certificate().getEncoded()));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw unavailable("the access-log checkpoint could not be written", e);
        } catch (CertificateException e) {
            throw new IllegalStateException("the signer's certificate cannot be encoded", e);
        }
    }

    /**
     * The checkpoint of the furthest chain position, if any.
     *
     * @throws UnreadableCheckpoint when that row cannot be read as a checkpoint (its certificate or
     *         signature is not what was written)
     */
    public Optional<Checkpoint> latest() {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(LATEST);
                ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long sequence = rs.getLong("seq");
            try {
                return Optional.of(new Checkpoint(sequence, rs.getString("chain_hash").strip(),
                        rs.getObject("checkpoint_time", OffsetDateTime.class).toInstant(),
                        Base64.getDecoder().decode(rs.getString("signature").strip()),
                        certificate(rs.getString("certificate").strip())));
            } catch (RuntimeException | CertificateException e) {
                throw new UnreadableCheckpoint(sequence, e);
            }
        } catch (SQLException e) {
            throw unavailable("the access-log checkpoints could not be read", e);
        }
    }

    /** The furthest chain position that has a checkpoint; 0 when there is none. */
    public long latestSequence() {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(LATEST_SEQUENCE);
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw unavailable("the access-log checkpoints could not be read", e);
        }
    }

    /** The chain head row; a database without it is reported as unavailable (verification reports it too). */
    public ChainHead head() {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(HEAD);
                ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the access log chain head row is missing");
            }
            return new ChainHead(rs.getLong(1), rs.getString(2).strip());
        } catch (SQLException e) {
            throw unavailable("the access log chain head could not be read", e);
        }
    }

    /** The stored hash of record {@code sequence}, or empty when there is no such record. */
    public Optional<String> recordHash(long sequence) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(RECORD_HASH)) {
            select.setLong(1, sequence);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).strip()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable("access record " + sequence + " could not be read", e);
        }
    }

    private static X509Certificate certificate(String base64) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static GatewayException unavailable(String what, SQLException e) {
        return new GatewayException(FaultCode.ACCESS_LOG_UNAVAILABLE, null, what + ": " + e.getMessage(), e);
    }

    /** A checkpoint row that cannot be read as one: tampered with, since the gateway writes only good ones. */
    public static final class UnreadableCheckpoint extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final long sequence;

        UnreadableCheckpoint(long sequence, Exception cause) {
            super("the checkpoint of record " + sequence + " cannot be read: " + cause.getMessage(), cause);
            this.sequence = sequence;
        }

        public long sequence() {
            return sequence;
        }
    }
}
