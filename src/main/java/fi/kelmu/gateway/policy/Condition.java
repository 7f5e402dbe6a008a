package fi.kelmu.gateway.policy;

/**
 * The conditions of access the policy evaluates, in the order a data request is refused on them: a
 * contract in force (R-CONT-1), the purpose in force (R-MAND-3), served by the operation, allowed for the
 * organisation type (R-PURP-1), the mandate it needs held and grantable by that type (R-MAND-1, R-MAND-2),
 * the requested views allowed (R-VIEW-1..3), and an area the answer can be confined to.
 */
public enum Condition {
    CONTRACT, PURPOSE, OPERATION, ORGANISATION_TYPE, MANDATE, VIEW, AREA
}
