package fi.kelmu.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fi.kelmu.gateway.fault.FaultCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The README is the operator's reference: every fault code and every property must be in it. */
class DocumentationTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of(System.getProperty("kelmu.project.dir", "."), "README.md"));
    }

    @Test
    void readmeListsEveryFaultCodeOfTheTable() throws IOException {
        String readme = readme();
        for (FaultCode code : FaultCode.values()) {
            assertTrue(readme.contains("`" + code.code() + "`"), "README fault table lacks " + code.code());
        }
        assertTrue(readme.contains("Fault table version **" + FaultCode.TABLE_VERSION + "**"));
    }

    @Test
    void readmeDocumentsEveryProperty() throws IOException {
        String readme = readme();
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        for (String key : properties.stringPropertyNames()) {
            String generic = key.replaceFirst("^kelmu\\.backend\\.(hva|kunta|helsinki)\\.", "kelmu.backend.<type>.");
            assertTrue(readme.contains("| `" + generic + "` |"), "README does not document " + key);
        }
    }
}
