package fi.kelmu.gateway.xroad;

/**
 * Whether a request whose {@code client} header is a whole member (objectType MEMBER) rather than one of its
 * subsystems is served (property {@code kelmu.xroad.accept-member-clients}). In X-Road the clients of a security
 * server, and so the callers access rights are granted to, are subsystems; a MEMBER client is what a caller
 * outside X-Road, or the client kit without {@code --subsystem}, sends.
 */
public enum MemberClients {
    /** A MEMBER client is refused (Client.InvalidHeader): only subsystems call, as through X-Road. */
    REFUSED,
    /** A MEMBER client is served like a subsystem of that member. */
    ACCEPTED
}
