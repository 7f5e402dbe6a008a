package fi.kelmu.gateway.audit;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2's half of the append-only rule (docs/access-log.md; PostgreSQL has a plpgsql trigger): refuses every
 * UPDATE and DELETE on the table it is attached to, so not even a bug or a stray SQL session of the
 * application can rewrite the access log. Attached by {@code db/migration/h2}.
 */
public final class AppendOnlyTrigger implements Trigger {

    private String table = "access_log";

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
            int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        String operation = newRow == null ? "DELETE" : "UPDATE";
        // SQLSTATE 42501 insufficient_privilege, as the PostgreSQL trigger raises
        throw new SQLException(table + " is append-only: " + operation + " refused", "42501");
    }
}
