package fi.kelmu.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A configured file: {@code classpath:path/in/jar} or a file-system path. */
public record ResourceLocation(String value) {

    public InputStream open() throws IOException {
        if (value.startsWith("classpath:")) {
            String path = value.substring("classpath:".length());
            InputStream in = ResourceLocation.class.getClassLoader().getResourceAsStream(path);
            if (in == null) {
                throw new IOException("not on the classpath: " + path);
            }
            return in;
        }
        return Files.newInputStream(Path.of(value.startsWith("file:") ? value.substring(5) : value));
    }

    @Override
    public String toString() {
        return value;
    }
}
