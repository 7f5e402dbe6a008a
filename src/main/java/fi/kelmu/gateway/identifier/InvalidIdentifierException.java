package fi.kelmu.gateway.identifier;

/** A Finnish identifier failed its syntax or check-character rule; the message says which. */
public class InvalidIdentifierException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidIdentifierException(String reason) {
        super(reason);
    }
}
