package fi.kelmu.gateway.registry;

/** Organisation types of the service (DOMAIN.md glossary). */
public enum OrganisationType {
    /** hyvinvointialue, wellbeing services county */
    HVA,
    /** kunta, municipality */
    KUNTA,
    /** City of Helsinki: municipality and its own social-services organiser */
    HELSINKI,
    /** kuntayhtymä, joint municipal authority */
    KUNTAYHTYMA
}
