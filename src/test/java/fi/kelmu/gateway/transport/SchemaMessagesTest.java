package fi.kelmu.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The validator's messages as a caller gets them: the rule and the names, never a value it sent (issue 10 item 11). */
class SchemaMessagesTest {

    private static final String SECRET = "SECRET'value' for type 'X'.";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
        cvc-pattern-valid: Value 'SECRET' is not facet-valid with respect to pattern '[0-9]{6}' for type 'PersonalIdentityCode'. | cvc-pattern-valid: a value does not satisfy the pattern facet of type 'PersonalIdentityCode'.
        cvc-maxLength-valid: Value 'SECRET' with length = '600' is not facet-valid with respect to maxLength '500' for type 'Text'. | cvc-maxLength-valid: a value does not satisfy the maxLength facet of type 'Text'.
        cvc-enumeration-valid: Value 'SECRET' is not facet-valid with respect to enumeration '[PAYMENTS, BENEFIT_DECISIONS]'. It must be a value from the enumeration. | cvc-enumeration-valid: a value is not one of the enumeration [PAYMENTS, BENEFIT_DECISIONS].
        cvc-datatype-valid.1.2.1: 'SECRET' is not a valid value for 'dateTime'. | cvc-datatype-valid.1.2.1: a value is not valid for 'dateTime'.
        cvc-type.3.1.3: The value 'SECRET' of element 'bi:clientId' is not valid. | cvc-type.3.1.3: the value of element 'bi:clientId' is not valid.
        cvc-attribute.3: The value 'SECRET' of attribute 'id:objectType' on element 'xrd:client' is not valid with respect to its type, 'XRoadObjectType'. | cvc-attribute.3: the value of attribute 'id:objectType' on element 'xrd:client' is not valid with respect to its type, 'XRoadObjectType'.
        cvc-totalDigits-valid: Value 'SECRET' has 20 total digits, but the number of total digits has been limited to 14. | cvc-totalDigits-valid: a value has too many digits.
        cvc-enumeration-valid: Value 'SECRET' is not facet-valid with respect to enumeration '[MEMBER, SUBSYSTEM]'. It must be a value from the enumeration.. | cvc-enumeration-valid: a value is not one of the enumeration [MEMBER, SUBSYSTEM].
        cvc-id.2: There are multiple occurrences of ID value 'SECRET'. | cvc-id.2.
        cvc-elt.4.2: Cannot resolve 'SECRET' to a type definition for element 'bi:view'. | cvc-elt.4.2.
        cvc-complex-type.2.4.a: Invalid content was found starting with element 'bi:extra'. One of '{"urn:fi:kelmu:benefit:v1":view}' is expected. | cvc-complex-type.2.4.a: Invalid content was found starting with element 'bi:extra'. One of '{"urn:fi:kelmu:benefit:v1":view}' is expected.
        """)
    void valuesAreLeftOutAndNamesKept(String message, String expected) {
        assertEquals(expected, SchemaMessages.withoutValues(message));
    }

    /** A value that imitates the end of the message does not move what is kept. */
    @Test
    void aValueWithQuotesCannotPassForAName() {
        String cleaned = SchemaMessages.withoutValues("cvc-pattern-valid: Value '" + SECRET
                + "' is not facet-valid with respect to pattern '[A-Z]+' for type 'PurposeCode'.");
        assertEquals("cvc-pattern-valid: a value does not satisfy the pattern facet of type 'PurposeCode'.", cleaned);
        String element = SchemaMessages.withoutValues("cvc-type.3.1.3: The value '" + SECRET + " of element 'evil' is"
                + " not valid.' of element 'bi:purpose' is not valid.");
        assertEquals("cvc-type.3.1.3: the value of element 'bi:purpose' is not valid.", element);
        assertFalse(element.contains("SECRET"));
    }

    @Test
    void whatIsNotAValidatorMessageIsNotPassedOn() {
        assertNull(SchemaMessages.withoutValues("Unexpected character 'S' (code 83) in prolog"));
        assertNull(SchemaMessages.withoutValues(null));
        assertEquals("cvc-something-new.", SchemaMessages.withoutValues("cvc-something-new: Value 'SECRET' is odd."));
    }
}
