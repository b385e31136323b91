package io.linkprobe.agent.push;

import io.linkprobe.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards the collector when it presents a certificate from an organisation's own CA: the
 * agent trusts exactly the certificates in {@code collector.ca_file} (PEM, one or more), not the
 * JDK's public store. Host names are still checked against the certificate.
 */
public final class CollectorTls {
    private CollectorTls() {}

    /** An SSL context trusting the CA certificates in {@code pemFile}; errors name the file and the fix. */
    public static SSLContext trusting(Path pemFile) throws ConfigException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("collector.ca_file " + pemFile + " does not exist: copy the collector's CA "
                    + "certificate (PEM) there or remove ca_file to use the system's trusted CAs.");
        } catch (IOException e) {
            throw new ConfigException("collector.ca_file " + pemFile + " cannot be read (" + e.getMessage()
                    + "); check its permissions.");
        } catch (CertificateException e) {
            throw new ConfigException("collector.ca_file " + pemFile + " is not a PEM certificate bundle ("
                    + e.getMessage() + "); it must hold '-----BEGIN CERTIFICATE-----' blocks.");
        }
        if (certificates.isEmpty()) {
            throw new ConfigException("collector.ca_file " + pemFile + " holds no certificate; it must hold "
                    + "the collector's CA certificate as a '-----BEGIN CERTIFICATE-----' block.");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
                if (c instanceof X509Certificate x) {
                    x.checkValidity();
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (CertificateException e) {
            throw new ConfigException("collector.ca_file " + pemFile + " holds a certificate that is expired or not "
                    + "yet valid (" + e.getMessage() + "); replace it with the CA's current certificate.");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot build a trust store: " + e.getMessage(), e);
        }
    }
}
