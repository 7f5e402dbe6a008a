package fi.kelmu.gateway.transport;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a caller is told of a schema-validation error: the validator's message (Xerces' {@code cvc-*} messages) without
 * any value the caller sent. A fault names the rule that failed, the element or attribute, and the type or
 * enumeration of the contract, never the value: a fault is signed by the gateway and must not carry the caller's
 * text back (docs/faults.md). Names of elements and attributes stay; they are what an integrator needs to find the
 * mistake. A message whose shape is not known is cut to its rule, e.g. {@code cvc-id.2}.
 *
 * <p>The parts kept are taken from the end of the message, after the last value: a value may contain quotes, a name
 * or type cannot.
 */
final class SchemaMessages {

    /** Messages that quote no value: element and attribute names and the contract's own words only. */
    private static final Set<String> WITHOUT_VALUES = Set.of("cvc-complex-type.2.1", "cvc-complex-type.2.2",
            "cvc-complex-type.2.3", "cvc-complex-type.2.4.a", "cvc-complex-type.2.4.b", "cvc-complex-type.2.4.c",
            "cvc-complex-type.2.4.d", "cvc-complex-type.2.4.e", "cvc-complex-type.2.4.f", "cvc-complex-type.2.4.g",
            "cvc-complex-type.2.4.h", "cvc-complex-type.2.4.i", "cvc-complex-type.2.4.j", "cvc-complex-type.3.2.1",
            "cvc-complex-type.3.2.2", "cvc-complex-type.4", "cvc-elt.1.a", "cvc-elt.1.b", "cvc-elt.2", "cvc-elt.3.1",
            "cvc-elt.3.2.1", "cvc-elt.3.2.2", "cvc-elt.5.2.2.1", "cvc-type.2", "cvc-type.3.1.1", "cvc-type.3.1.2");

    private static final Pattern KEY = Pattern.compile("^(cvc-[A-Za-z0-9.\\-_]+?):\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern FACET = Pattern.compile(
            "^cvc-(pattern|length|minLength|maxLength|minInclusive|maxInclusive|minExclusive|maxExclusive)-valid$");
    private static final Pattern FOR_TYPE = Pattern.compile("for type '([^']*)'\\.$");
    private static final Pattern ENUMERATION = Pattern.compile(
            "with respect to enumeration '(\\[[^']*\\])'\\. It must be a value from the enumeration\\.$");
    private static final Pattern DATATYPE = Pattern.compile("'([^']*)'\\.$");
    private static final Pattern OF_ELEMENT = Pattern.compile("of element '([^']*)' is not valid\\.$");
    private static final Pattern OF_ATTRIBUTE = Pattern.compile(
            "of attribute '([^']*)' on element '([^']*)' is not valid with respect to its type, '([^']*)'\\.$");

    private SchemaMessages() {
    }

    /**
     * The message without the values it quotes; {@code null} for null. A message that is not a {@code cvc-}
     * message is not the validator's and is returned as null: it is not known what it quotes.
     */
    static String withoutValues(String message) {
        if (message == null) {
            return null;
        }
        Matcher key = KEY.matcher(message.strip());
        if (!key.matches()) {
            return null;
        }
        String rule = key.group(1);
        // a message may reach here with its full stop doubled ("... the enumeration..")
        String text = key.group(2).strip().replaceAll("\\.+$", ".");
        if (WITHOUT_VALUES.contains(rule)) {
            return rule + ": " + text;
        }
        Matcher facet = FACET.matcher(rule);
        if (facet.matches()) {
            Matcher type = FOR_TYPE.matcher(text);
            return rule + ": a value does not satisfy the " + facet.group(1) + " facet"
                    + (type.find() ? " of type '" + type.group(1) + "'." : ".");
        }
        switch (rule) {
            case "cvc-enumeration-valid" -> {
                Matcher enumeration = ENUMERATION.matcher(text);
                return rule + ": a value is not one of the enumeration"
                        + (enumeration.find() ? " " + enumeration.group(1) + "." : ".");
            }
            case "cvc-totalDigits-valid", "cvc-fractionDigits-valid" -> {
                return rule + ": a value has too many digits.";
            }
            case "cvc-datatype-valid.1.2.1", "cvc-datatype-valid.1.2.2", "cvc-datatype-valid.1.2.3" -> {
                Matcher type = DATATYPE.matcher(text);
                return rule + ": a value is not valid" + (type.find() ? " for '" + type.group(1) + "'." : ".");
            }
            case "cvc-type.3.1.3" -> {
                Matcher element = OF_ELEMENT.matcher(text);
                return rule + ": the value of element" + (element.find() ? " '" + element.group(1) + "'" : "")
                        + " is not valid.";
            }
            case "cvc-attribute.3" -> {
                Matcher attribute = OF_ATTRIBUTE.matcher(text);
                return attribute.find() ? rule + ": the value of attribute '" + attribute.group(1) + "' on element '"
                        + attribute.group(2) + "' is not valid with respect to its type, '" + attribute.group(3) + "'."
                        : rule + ": the value of an attribute is not valid.";
            }
            default -> {
                return rule + ".";
            }
        }
    }
}
