package fi.kelmu.gateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Loads trust material named by configuration: PKCS#12 key and trust stores, CRL files (PEM or DER). */
public final class SecurityMaterial {

    private SecurityMaterial() {
    }

    public static KeyStore keyStore(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load key store " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<X509CRL> crls(List<Path> files) {
        List<X509CRL> result = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                    result.add((X509CRL) crl);
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot load CRL file " + file + ": " + e.getMessage(), e);
            }
        }
        return result;
    }

    /** Every certificate in a store, key entries' chains included. */
    public static List<X509Certificate> certificates(KeyStore store) {
        List<X509Certificate> result = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificateChain(alias) != null) {
                    for (var c : store.getCertificateChain(alias)) {
                        result.add((X509Certificate) c);
                    }
                } else if (store.getCertificate(alias) instanceof X509Certificate c) {
                    result.add(c);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key store unreadable", e);
        }
        return result;
    }
}
