package fi.kelmu.gateway.registry;

import fi.kelmu.gateway.identifier.Iban;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An organisation that may call the gateway. {@code municipalities} is the area it acts for: an HVA's
 * member municipalities, a municipality's (or Helsinki's) own code, nothing for a kuntayhtymä.
 * {@code contracts} are its contract periods with Kela (R-CONT-1). {@code contact} is an HVA's contact for
 * payment demands (R-PAY-8), or null: none registered, or not an HVA.
 */
public record Organisation(String businessId, String name, OrganisationType type, Set<String> municipalities,
        List<Contract> contracts, Contact contact) {

    public Organisation {
        municipalities = Set.copyOf(municipalities);
        contracts = List.copyOf(contracts);
        if (contact != null && type != OrganisationType.HVA) {
            throw new IllegalArgumentException("only an HVA has a payment-demand contact: " + businessId);
        }
    }

    /** An organisation without a payment-demand contact. */
    public Organisation(String businessId, String name, OrganisationType type, Set<String> municipalities,
            List<Contract> contracts) {
        this(businessId, name, type, municipalities, contracts, null);
    }

    /** One contract period, both ends inclusive; {@code to} null: until further notice. */
    public record Contract(LocalDate from, LocalDate to, String reference) {

        public boolean covers(LocalDate day) {
            return !day.isBefore(from) && (to == null || !day.isAfter(to));
        }
    }

    /**
     * What Kela keeps of an HVA for payment demands (R-PAY-8), besides its name: the postal address and the account
     * its demands are paid to from 1.1.2023 (R-PAY-7).
     */
    public record Contact(String address, Iban iban) {

        public Contact {
            if (address == null || address.isBlank() || iban == null) {
                throw new IllegalArgumentException("a contact has an address and an IBAN");
            }
        }
    }

    /** The contract in force on {@code day}, if any (R-CONT-1). */
    public Optional<Contract> contractOn(LocalDate day) {
        return contracts.stream().filter(c -> c.covers(day)).findFirst();
    }

    /** The HVA's payment-demand contact (R-PAY-8), if registered. */
    public Optional<Contact> paymentContact() {
        return Optional.ofNullable(contact);
    }
}
