package fi.kelmu.gateway.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Municipalities of 1.1.2023 and their wellbeing services counties (reference/municipalities-2023.csv). */
public final class MunicipalityReference {

    public static final String RESOURCE = "reference/municipalities-2023.csv";
    /** Helsinki's kuntanumero. */
    public static final String HELSINKI = "091";
    /** Statistics Finland gives the City of Helsinki a wellbeing-area code of its own. */
    public static final String HELSINKI_AREA = "90";

    private final Map<String, String> nameByCode;
    private final Map<String, Set<String>> membersByArea;

    private MunicipalityReference(Map<String, String> nameByCode, Map<String, Set<String>> membersByArea) {
        this.nameByCode = nameByCode;
        this.membersByArea = membersByArea;
    }

    public static MunicipalityReference load() {
        InputStream in = MunicipalityReference.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("reference data missing from the classpath: " + RESOURCE);
        }
        Map<String, String> names = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null || !header.startsWith("municipality_code,")) {
                throw new IllegalStateException(RESOURCE + " has an unexpected header");
            }
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 5) {
                    throw new IllegalStateException(RESOURCE + ": malformed row " + line);
                }
                names.put(f[0], f[1]);
                if (!f[3].isEmpty()) {
                    members.computeIfAbsent(f[3], k -> new TreeSet<>()).add(f[0]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        members.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        return new MunicipalityReference(Map.copyOf(names), Map.copyOf(members));
    }

    public boolean isMunicipality(String code) {
        return nameByCode.containsKey(code);
    }

    public String name(String code) {
        return nameByCode.get(code);
    }

    /** Member municipality codes of a wellbeing-area code; empty for an unknown code. */
    public Set<String> membersOf(String wellbeingAreaCode) {
        return membersByArea.getOrDefault(wellbeingAreaCode, Set.of());
    }
}
