package fi.kelmu.gateway.support;

/**
 * The sandbox's demo data as the tests name it: the organisations of
 * {@code registry/organisations-sandbox.xml}, the users of {@code sandbox/mandate-demo-data.json}, the clients of
 * {@code sandbox/backend-demo-data.xml}, the mandates and purposes of {@code policy/kelmu-policy.xml}, the
 * request fixtures of {@code src/test/resources/requests/}, and the namespaces the main code has no constant for.
 * <p>
 * Namespaces the main code declares are used from there: {@code xml.Dom} (SOAP_NS, WSSE_NS, WSU_NS, DS_NS),
 * {@code xroad.XRoadHeaders} (NS, ID_NS), {@code mandate.MandateAssertion.NS} and
 * {@code transport.FaultTranslator.COMMON_NS}.
 */
public final class TestData {

    // --- namespaces without a constant in the main code

    /** The benefit operations ({@code xsd/benefit-information.xsd}). */
    public static final String BENEFIT_NS = "urn:fi:kelmu:benefit:v1";
    /** The access self-check ({@code xsd/access-check.xsd}). */
    public static final String ACCESS_NS = "urn:fi:kelmu:access:v1";
    /** Kela's benefit backend ({@code xsd/backend/benefit-backend.xsd}). */
    public static final String BACKEND_NS = "urn:fi:kela:kelmu:backend:v1";

    // --- request fixtures

    /**
     * The valid request ({@code get-benefit-data-hva.xml}): {@link #HVA} asks, for {@link #USER}, the decisions
     * and payments of {@link #CLIENT} under {@link #MUUT_ETUUDET}.
     */
    public static final String VALID_REQUEST = "get-benefit-data-hva.xml";

    // --- organisations of the sandbox registry, by Y-tunnus

    /** Länsi-Uudenmaan hyvinvointialue (demo), an HVA whose area includes Espoo and Hanko. */
    public static final String LANSI_UUSIMAA = "9000001-1";
    /** The HVA most tests call as, Länsi-Uusimaa: the caller of the request fixtures. */
    public static final String HVA = LANSI_UUSIMAA;
    /** Vantaan ja Keravan hyvinvointialue (demo), an HVA. */
    public static final String VANTAA_KERAVA = "9000003-8";
    /** Pirkanmaan hyvinvointialue (demo), an HVA. */
    public static final String PIRKANMAA = "9000004-6";
    /** Espoon kaupunki (demo), a KUNTA. */
    public static final String ESPOO = "9000005-4";
    /** Tampereen kaupunki (demo), a KUNTA. */
    public static final String TAMPERE = "9000006-2";
    /** Helsingin kaupunki (demo), of type HELSINKI. */
    public static final String HELSINKI = "9000007-0";
    /** Keski-Uudenmaan sote-kuntayhtymä (demo), a KUNTAYHTYMA. */
    public static final String KESKI_UUSIMAA = "9000008-9";
    /** Kuntayhtymä with a renewed contract (demo), a KUNTAYHTYMA. */
    public static final String RENEWED_KUNTAYHTYMA = "9000009-7";

    /** Kela, the provider of the service: the member code the service header addresses (kelmu.xroad.member-code). */
    public static final String KELA = "0246246-0";

    // --- users of the sandbox mandate service (henkilötunnus, without the FI of userId)

    /** Acts for Länsi-Uusimaa with ETUUSTIEDOT_MAKSUVAATIMUKSET and two more mandates: the fixtures' user. */
    public static final String USER = "010594Y9032";
    /** Länsi-Uusimaa's user whose mandate was revoked (R-MAND-4). */
    public static final String REVOKED_USER = "111175-943R";
    /** Länsi-Uusimaa's user whose mandate expired (R-MAND-4). */
    public static final String EXPIRED_USER = "050695-954B";
    /** Moved from Espoo to Länsi-Uusimaa: Espoo's mandate ended, the HVA's is in force (R-MAND-6). */
    public static final String MOVED_USER = "241282-965E";
    /** Acts for Vantaa-Kerava with ETUUSTIEDOT_MAKSUVAATIMUKSET. */
    public static final String VANTAA_KERAVA_USER = "030388-9324";
    /** Acts for Espoo with ETUUSTIEDOT_MAKSUVAATIMUKSET and KOTOUTUMISPALVELUT. */
    public static final String ESPOO_USER = "220790-921S";
    /** Acts for Helsinki with ETUUSTIEDOT_MAKSUVAATIMUKSET, TOIMEENTULOTUKI_SOSIAALIPALVELUT, KOTOUTUMISPALVELUT. */
    public static final String HELSINKI_USER = "150585-9100";
    /** Holds only TYOMARKKINATUKI_AINEISTOT, for Tampere: no mandate for any other organisation. */
    public static final String TAMPERE_USER = "170991-9766";

    // --- clients of the sandbox backend, by home municipality

    /** Lives in Espoo (049, in Länsi-Uusimaa): the client of the request fixtures. */
    public static final String CLIENT = "010180-9026";
    /** The same client, named by where the client lives. */
    public static final String LIVES_IN_ESPOO = CLIENT;
    /** Lives in Vantaa (092, in Vantaa-Kerava). */
    public static final String LIVES_IN_VANTAA = "150372-9134";
    /** Lives in Helsinki (091). */
    public static final String LIVES_IN_HELSINKI = "040506A935A";
    /** Lives in Hanko (078, in Länsi-Uusimaa). */
    public static final String LIVES_IN_HANKO = "310199Y968K";

    // --- mandates and purposes of the policy

    /** The mandate MUUT_ETUUDET and KOTOUTUMINEN need. */
    public static final String ETUUSTIEDOT = "ETUUSTIEDOT_MAKSUVAATIMUKSET";
    /** A purpose of HVA and HELSINKI callers (getBenefitData, every view). */
    public static final String MUUT_ETUUDET = "MUUT_ETUUDET";
    /** A purpose of KUNTA and HELSINKI callers, not of an HVA (getBenefitData, three views). */
    public static final String KOTOUTUMINEN = "KOTOUTUMISPALVELU_ETUUDET";

    private TestData() {
    }
}
