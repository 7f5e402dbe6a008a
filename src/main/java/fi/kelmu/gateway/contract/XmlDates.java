package fi.kelmu.gateway.contract;

import java.time.LocalDate;

/** Conversions between {@code xs:date} and {@link LocalDate}, used by the generated JAXB adapters. */
public final class XmlDates {

    private XmlDates() {
    }

    /** Parses an {@code xs:date}; a time-zone suffix, which xs:date allows, is ignored. */
    public static LocalDate parseDate(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.endsWith("Z")) {
            v = v.substring(0, v.length() - 1);
        } else if (v.length() > 10 && (v.charAt(10) == '+' || v.charAt(10) == '-')) {
            v = v.substring(0, 10);
        }
        return LocalDate.parse(v);
    }

    public static String printDate(LocalDate value) {
        return value == null ? null : value.toString();
    }
}
