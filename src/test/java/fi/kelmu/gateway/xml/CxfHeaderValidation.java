package fi.kelmu.gateway.xml;

import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * A SOAP header validated as CXF's {@code SoapHeaderInterceptor} validates it: the header where it stands, as a
 * document of its own, with a new validator of the schema, and an error handler that lets an error about the
 * header's SOAP role or mustUnderstand attribute pass; for tests that compare the gateway's validation with CXF's.
 */
public final class CxfHeaderValidation {

    private CxfHeaderValidation() {
    }

    /** The first error CXF would refuse {@code header} for, or null when it passes. */
    public static Exception firstError(Schema schema, Element header) {
        Validator validator = schema.newValidator();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                String text = e.getMessage();
                if (text.contains(header.getLocalName())
                        && (text.contains(":actor") || text.contains(":mustUnderstand"))) {
                    return;
                }
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        try {
            validator.validate(new DOMSource(header));
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
