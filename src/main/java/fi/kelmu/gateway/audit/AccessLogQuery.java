package fi.kelmu.gateway.audit;

import java.time.Instant;

/**
 * Which access records to find: any combination of client, user and time range ({@code from} inclusive,
 * {@code to} exclusive); null means any. Results come in sequence order, at most {@code limit} of them.
 */
public record AccessLogQuery(String personId, String userId, Instant from, Instant to, int limit) {

    public static final int DEFAULT_LIMIT = 100;

    public AccessLogQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }

    /** Every record, up to {@value #DEFAULT_LIMIT}. */
    public static AccessLogQuery all() {
        return new AccessLogQuery(null, null, null, null, DEFAULT_LIMIT);
    }

    public AccessLogQuery withPersonId(String value) {
        return new AccessLogQuery(value, userId, from, to, limit);
    }

    public AccessLogQuery withUserId(String value) {
        return new AccessLogQuery(personId, value, from, to, limit);
    }

    public AccessLogQuery withFrom(Instant value) {
        return new AccessLogQuery(personId, userId, value, to, limit);
    }

    public AccessLogQuery withTo(Instant value) {
        return new AccessLogQuery(personId, userId, from, value, limit);
    }

    public AccessLogQuery withLimit(int value) {
        return new AccessLogQuery(personId, userId, from, to, value);
    }
}
