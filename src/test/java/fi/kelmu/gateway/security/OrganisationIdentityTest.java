package fi.kelmu.gateway.security;

import fi.kelmu.gateway.sandbox.PkiBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrganisationIdentityTest {

    private static final Instant NOW = Instant.now();

    private static KeyPair caKeys;
    private static X509Certificate ca;

    @BeforeAll
    static void makeCa() {
        caKeys = PkiBuilder.ec("secp256r1");
        ca = PkiBuilder.selfSignedCa("CN=Identity test CA, organizationIdentifier=NTRFI-0246246-0, C=FI", caKeys,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NTRFI-9000005-4", "9000005-4"})
    void theBusinessIdIsReadFromOrganizationIdentifierWithOrWithoutTheNtrPrefix(String value) {
        X509Certificate cert = certificate("CN=Espoo, organizationIdentifier=" + value + ", O=Espoo, C=FI");

        assertEquals(Optional.of("9000005-4"), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void theSerialNumberAttributeIsUsedWhenThereIsNoOrganizationIdentifier() {
        X509Certificate cert = certificate("CN=Espoo, serialNumber=9000005-4, O=Espoo, C=FI");

        assertEquals(Optional.of("9000005-4"), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void aCertificateFromTheOrganisationDnHelperProvesItsBusinessId() {
        X509Certificate cert = certificate(PkiBuilder.organisationDn("Espoon kaupunki (demo)", "9000005-4", true));

        assertEquals(Optional.of("9000005-4"), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void organizationIdentifierWinsOverADifferentSerialNumber() {
        X509Certificate cert = certificate("CN=x, serialNumber=1111111-1, organizationIdentifier=NTRFI-2222222-2");

        assertEquals(Optional.of("2222222-2"), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void aSubjectWithoutEitherAttributeProvesNoBusinessId() {
        X509Certificate cert = certificate("CN=Espoo, O=Espoo, C=FI");

        assertEquals(Optional.empty(), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void theIssuersOrganizationIdentifierDoesNotCount() {
        X509Certificate cert = certificate("CN=no identifier, C=FI");

        assertEquals(Optional.empty(), OrganisationIdentity.businessIdOf(cert));
        assertEquals(Optional.of("0246246-0"), OrganisationIdentity.businessIdOf(ca));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NTRFI-900005-4", "NTRFI-9000005-42", "NTRFI-90000054", "VATFI-90000054",
        "NTRSE-9000005-4", "ntrfi-9000005-4", "NTRFI-9000005-4 x", "x9000005-4", "9000005-a", "NTRFI-NTRFI-9000005-4"})
    void aMalformedOrganizationIdentifierProvesNoBusinessId(String value) {
        X509Certificate cert = certificate("CN=x, organizationIdentifier=" + PkiBuilder.escape(value) + ", C=FI");

        assertEquals(Optional.empty(), OrganisationIdentity.businessIdOf(cert));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NTRFI-9000005-4", "90000054", "9000005-4-1", "19990101-1234"})
    void aMalformedSerialNumberProvesNoBusinessId(String value) {
        X509Certificate cert = certificate("CN=x, serialNumber=" + value + ", C=FI");

        assertEquals(Optional.empty(), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void aMalformedOrganizationIdentifierFallsBackToAWellFormedSerialNumber() {
        X509Certificate cert = certificate("CN=x, serialNumber=9000005-4, organizationIdentifier=VATFI-90000054");

        assertEquals(Optional.of("9000005-4"), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void twoDifferentOrganizationIdentifiersProveNoBusinessId() {
        X509Certificate cert = certificate(
                "CN=x, organizationIdentifier=NTRFI-1111111-1, organizationIdentifier=NTRFI-2222222-2, C=FI");

        assertEquals(Optional.empty(), OrganisationIdentity.businessIdOf(cert));
    }

    @Test
    void theSameBusinessIdInBothOrganizationIdentifierFormsIsNotAmbiguous() {
        X509Certificate cert = certificate(
                "CN=x, organizationIdentifier=NTRFI-1111111-1, organizationIdentifier=1111111-1, C=FI");

        assertEquals(Optional.of("1111111-1"), OrganisationIdentity.businessIdOf(cert));
    }

    private static X509Certificate certificate(String subjectDn) {
        return PkiBuilder.issue(subjectDn, PkiBuilder.ec("secp256r1").getPublic(), ca, caKeys.getPrivate(),
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)), null, null);
    }
}
