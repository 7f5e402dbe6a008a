package fi.kelmu.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import fi.kelmu.gateway.registry.OrganisationType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chain hash and its canonical encoding: stable, covering every field, unambiguous. */
class AccessRecordHashTest {

    private static final Instant TIME = Instant.parse("2023-01-02T08:00:00.123456Z");

    private static AccessRecord record(String purpose, String operation) {
        return new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1",
                List.of("ETUUSTIEDOT_MAKSUVAATIMUKSET"), "assertion:a-1", purpose, operation, "131052-308T",
                List.of("PAYMENTS", "DECISIONS"), AccessOutcome.ALLOWED, null, "c-1");
    }

    private static final AccessRecord BASE = record("MUUT_ETUUDET", "GetBenefitData");

    @Test
    void hashOfAKnownRecordNeverChanges() {
        // a changed encoding would break every chain already written: that needs a new format version.
        // The value was checked against an independent implementation of the encoding in the Javadoc.
        assertEquals("30a85351323ab753fc5c87961417a8a756eb4cd0fbc43e0ded10dd51ceb55608", AccessRecordHash.of(7, BASE, AccessRecordHash.GENESIS));
    }

    @Test
    void everyFieldSequenceAndPreviousHashChangeTheHash() {
        List<AccessRecord> variants = List.of(BASE,
                new AccessRecord("e-2", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME.plusNanos(1000), "x-1", "0201256-6", OrganisationType.HVA, "u1",
                        BASE.mandates(), "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T",
                        BASE.views(), AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-2", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-7", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", null, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u2", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", List.of(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "online:r-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        null, "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                record("TOIMEENTULOTUKI", "GetBenefitData"),
                record("MUUT_ETUUDET", "GetBasicSocialAssistance"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "010101A123N", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", List.of("DECISIONS", "PAYMENTS"),
                        AccessOutcome.ALLOWED, null, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.REFUSED, FaultCode.VIEW_NOT_ALLOWED, "c-1"),
                new AccessRecord("e-1", TIME, "x-1", "0201256-6", OrganisationType.HVA, "u1", BASE.mandates(),
                        "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData", "131052-308T", BASE.views(),
                        AccessOutcome.ALLOWED, null, "c-2"));
        Set<String> hashes = new HashSet<>();
        for (AccessRecord r : variants) {
            hashes.add(AccessRecordHash.of(1, r, AccessRecordHash.GENESIS));
        }
        hashes.add(AccessRecordHash.of(2, BASE, AccessRecordHash.GENESIS));
        hashes.add(AccessRecordHash.of(1, BASE, "1".repeat(64)));
        assertEquals(variants.size() + 2, hashes.size(), "every variant hashes differently");
    }

    /** Version 2 (a payment demand's details) leaves every record without details as it was hashed. */
    @Test
    void detailsAreHashedWithVersion2AndARecordWithoutThemKeepsItsVersion1Hash() {
        String v1 = AccessRecordHash.of(1, BASE, AccessRecordHash.GENESIS);
        assertEquals(v1, AccessRecordHash.of(1, BASE.withDetails(null), AccessRecordHash.GENESIS));
        String withDetails = AccessRecordHash.of(1, BASE.withDetails("amount=429.09 account=****0785"),
                AccessRecordHash.GENESIS);
        assertNotEquals(v1, withDetails);
        assertNotEquals(withDetails, AccessRecordHash.of(1, BASE.withDetails("amount=429.10 account=****0785"),
                AccessRecordHash.GENESIS));
        assertTrue(new String(AccessRecordHash.encode(1, BASE.withDetails("x"), AccessRecordHash.GENESIS),
                StandardCharsets.UTF_8).contains(AccessRecordHash.FORMAT_WITH_DETAILS));
        assertThrows(IllegalArgumentException.class, () -> BASE.withDetails("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> BASE.withDetails("x".repeat(AccessRecord.MAX_DETAILS + 1)));
    }

    @Test
    void valuesCannotBeShiftedBetweenNeighbouringFields() {
        byte[] a = AccessRecordHash.encode(1, record("MUUT_ETUUDETGet", "BenefitData"), AccessRecordHash.GENESIS);
        byte[] b = AccessRecordHash.encode(1, record("MUUT_ETUUDET", "GetBenefitData"), AccessRecordHash.GENESIS);
        assertFalse(Arrays.equals(a, b));
        assertNotEquals(AccessRecordHash.of(1, record("MUUT_ETUUDETGet", "BenefitData"), AccessRecordHash.GENESIS),
                AccessRecordHash.of(1, BASE, AccessRecordHash.GENESIS));
    }

    @Test
    void timeIsEncodedInUtcToTheMicrosecond() {
        AccessRecord withNanos = new AccessRecord("e-1", TIME.plusNanos(789), "x-1", "0201256-6",
                OrganisationType.HVA, "u1", BASE.mandates(), "assertion:a-1", "MUUT_ETUUDET", "GetBenefitData",
                "131052-308T", BASE.views(), AccessOutcome.ALLOWED, null, "c-1");
        assertEquals(BASE, withNanos, "the record keeps microseconds, as the databases do");
        assertArrayEquals(AccessRecordHash.encode(1, BASE, AccessRecordHash.GENESIS),
                AccessRecordHash.encode(1, withNanos, AccessRecordHash.GENESIS));
        String encoded = new String(AccessRecordHash.encode(1, BASE, AccessRecordHash.GENESIS),
                StandardCharsets.ISO_8859_1);
        assertTrue(encoded.contains("2023-01-02T08:00:00.123456Z"));
    }

    @Test
    void aRefusedRecordNeedsItsFaultAndAnAllowedOneHasNone() {
        assertThrows(IllegalArgumentException.class, () -> new AccessRecord("e-1", TIME, "x-1", "0201256-6",
                null, "u1", List.of(), null, "P", "O", "131052-308T", List.of(), AccessOutcome.REFUSED, null, "c-1"));
        assertThrows(IllegalArgumentException.class, () -> new AccessRecord("e-1", TIME, "x-1", "0201256-6",
                null, "u1", List.of(), null, "P", "O", "131052-308T", List.of(), AccessOutcome.ALLOWED,
                FaultCode.MANDATE_MISSING, "c-1"));
    }

    @Test
    void namesInListsAreIdentifiersWithoutCommas() {
        List<String> withComma = new ArrayList<>(List.of("PAYMENTS,DECISIONS"));
        assertThrows(IllegalArgumentException.class, () -> new AccessRecord("e-1", TIME, "x-1", "0201256-6",
                null, "u1", List.of(), null, "P", "O", "131052-308T", withComma, AccessOutcome.ALLOWED, null, "c-1"));
        assertThrows(IllegalArgumentException.class, () -> new AccessRecord("e-1", TIME, "x-1", "0201256-6",
                null, "u1", List.of(" "), null, "P", "O", "131052-308T", List.of(), AccessOutcome.ALLOWED, null,
                "c-1"));
    }
}
