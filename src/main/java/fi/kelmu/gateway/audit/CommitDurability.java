package fi.kelmu.gateway.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What makes a commit durable on each database before the caller learns of it, for every store of the gateway's
 * database (the access log, the payment demands): PostgreSQL flushes its write-ahead log at commit when
 * {@code synchronous_commit} is on, which the transaction sets for itself whatever the server's default; H2 confirms
 * a commit while its store still holds it in memory, so the store is written and forced to the device
 * ({@code CHECKPOINT SYNC}) after it. Either way one flush serves every row of a transaction.
 */
public enum CommitDurability {
    POSTGRESQL {
        @Override
        public void beforeWrite(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit TO on");
            }
        }
    },
    H2 {
        @Override
        public void afterCommit(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    };

    /** The durability of the database {@code c} is connected to. */
    public static CommitDurability of(Connection c) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName()) ? POSTGRESQL : H2;
    }

    /** Inside the transaction, before its first write. */
    public void beforeWrite(Connection c) throws SQLException {
    }

    /** After the commit, before the caller learns of it. */
    public void afterCommit(Connection c) throws SQLException {
    }
}
