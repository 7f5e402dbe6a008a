package fi.kelmu.gateway.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A replay cache of one process ({@code kelmu.replay-cache.store=memory}, and the deciding half of
 * {@link WriteBehindReplayCache}): forgotten on restart and not shared with replicas (docs/security.md).
 *
 * <p>It holds every identity accepted within the replay window, so its size is the request rate times the window
 * (500 requests a second for 7 minutes: 420 000 keys with the signature keys). It therefore keeps no objects per
 * key: a key is reduced to the first 128 bits of its SHA-256, and the key and its expiry (epoch nanoseconds) are
 * three longs in an open-addressing table (linear probing), 24 bytes a slot and at least 48 a key, where a map
 * of strings and instants with an expiry queue took about 220.
 *
 * <p>Every check costs the same at any size, and no thread ever scans the whole cache on a check's behalf beyond
 * what its own inserts paid for:
 * <ul>
 * <li>a check probes one short run of slots; an expired key counts as not seen, and its slot is reused by the next
 * key that probes past it;</li>
 * <li>a table is rebuilt only when half its slots are taken, keeping the unexpired keys in a table of at least four
 * times their number, so at least a quarter of its slots are inserted into before the next rebuild (amortised
 * constant work, and the table shrinks again when traffic falls);</li>
 * <li>the keys are spread over {@value #STRIPES} tables, each with its own lock, so a rebuild holds up one
 * sixteenth of the checks, for about a millisecond at 30 000 keys.</li>
 * </ul>
 *
 * <p>Two keys with the same first 128 bits of SHA-256 would count as one (the second refused as a replay):
 * finding such a pair for a given message takes about 2<sup>128</sup> hashes, and the keys are only accepted from
 * signed, registered callers.
 */
public final class InMemoryReplayCache implements ReplayCache {

    static final int STRIPES = 16;
    /** Slots of a table when it is created or rebuilt small. */
    static final int MIN_SLOTS = 64;
    private static final int WORDS = 3;

    private final Table[] tables = new Table[STRIPES];
    private final Clock clock;

    public InMemoryReplayCache(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            tables[i] = new Table();
        }
    }

    @Override
    public boolean firstSeen(String key, Instant expiresAt) {
        return firstSeenHash(ReplayClaim.hashOf(key), expiresAt);
    }

    /**
     * {@link #firstSeen} for a key already in its stored form ({@link ReplayClaim#hashOf}, hex SHA-256): the cache keeps
     * its first 128 bits, so a caller that has the hash does not hash again.
     */
    boolean firstSeenHash(String keyHash, Instant expiresAt) {
        long high = HexFormat.fromHexDigitsToLong(keyHash, 0, 16);
        long low = HexFormat.fromHexDigitsToLong(keyHash, 16, 32);
        long now = nanos(clock.instant());
        // an expiry at or before 1970 is stored as 1 (0 marks a free slot): expired at once, as it was given
        long expiry = Math.max(1, nanos(expiresAt));
        Table table = tables[(int) (low >>> 60)];
        synchronized (table) {
            return table.claim(high, low, expiry, now);
        }
    }

    /** Keys held, expired ones not yet overwritten or dropped by a rebuild included. */
    int size() {
        int size = 0;
        for (Table table : tables) {
            synchronized (table) {
                size += table.used;
            }
        }
        return size;
    }

    /** Slots of all tables, free ones included: the memory held is 24 bytes a slot. */
    int slots() {
        int slots = 0;
        for (Table table : tables) {
            synchronized (table) {
                slots += table.slots.length / WORDS;
            }
        }
        return slots;
    }

    private static long nanos(Instant instant) {
        return Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L) + instant.getNano();
    }

    /**
     * One stripe: slots of {@code [high, low, expiry]}, expiry 0 for a free slot. Free slots appear only at a
     * rebuild, so a probe that meets one has seen every key that could be in the table.
     */
    private static final class Table {

        private long[] slots = new long[MIN_SLOTS * WORDS];
        /** Slots taken, by unexpired and expired keys. */
        private int used;

        boolean claim(long high, long low, long expiry, long now) {
            int at = probe(high, low, now);
            if (at >= 0) {
                return false;
            }
            int free = -at - 1;
            if (slots[free + 2] == 0) {
                if (2 * (used + 1) > slots.length / WORDS) {
                    rebuild(now);
                    free = -probe(high, low, now) - 1;
                }
                used++;
            }
            slots[free] = high;
            slots[free + 1] = low;
            slots[free + 2] = expiry;
            return true;
        }

        /**
         * The word index of the key's unexpired slot; otherwise {@code -index - 1} of the slot to put it in: its own
         * expired slot, else the first expired slot on its run, else the free slot ending the run.
         */
        private int probe(long high, long low, long now) {
            int mask = slots.length / WORDS - 1;
            int reusable = -1;
            for (int i = (int) high & mask; ; i = (i + 1) & mask) {
                int at = i * WORDS;
                long expiry = slots[at + 2];
                if (expiry == 0) {
                    return -(reusable >= 0 ? reusable : at) - 1;
                }
                if (slots[at] == high && slots[at + 1] == low) {
                    // a key is in the table once: an expired sighting is renewed in place
                    return expiry > now ? at : -at - 1;
                }
                if (reusable < 0 && expiry <= now) {
                    reusable = at;
                }
            }
        }

        /** Keeps the unexpired keys, in a table of at least four times their number (a power of two). */
        private void rebuild(long now) {
            long[] old = slots;
            int live = 0;
            for (int at = 0; at < old.length; at += WORDS) {
                if (old[at + 2] > now) {
                    live++;
                }
            }
            int size = MIN_SLOTS;
            while (size < 4 * (live + 1)) {
                size <<= 1;
            }
            slots = new long[size * WORDS];
            used = 0;
            int mask = size - 1;
            for (int at = 0; at < old.length; at += WORDS) {
                if (old[at + 2] > now) {
                    int i = (int) old[at] & mask;
                    while (slots[i * WORDS + 2] != 0) {
                        i = (i + 1) & mask;
                    }
                    System.arraycopy(old, at, slots, i * WORDS, WORDS);
                    used++;
                }
            }
        }
    }
}
