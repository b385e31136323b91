package io.linkprobe.collector.config;

import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.config.InvalidValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The web configuration file in the Prometheus exporter-toolkit convention (the file node_exporter
 * and blackbox_exporter read with {@code --web.config.file}), named by {@code web_config_file} in
 * collector.yml:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: collector.crt
 *   key_file: collector.key
 *   client_auth_type: VerifyClientCertIfGiven   # NoClientCert (default) or RequireAndVerifyClientCert
 *   client_ca_file: clients-ca.crt
 * basic_auth_users:
 *   prometheus: $2y$10$...                       # bcrypt hash, e.g. htpasswd -nbBC 10 "" PASSWORD
 * </pre>
 *
 * TLS covers the whole HTTP port (pushes too: agents then use an https:// url). Basic auth guards
 * what people and Prometheus read ({@code /metrics}, the status pages, {@code /api/v1} reads); pushes
 * keep their site's bearer token and {@code /-/healthy}, {@code /-/ready} stay open for health checks.
 */
public record WebConfig(TlsServerConfig tlsServerConfig, Map<String, String> basicAuthUsers) {
    public static final WebConfig NONE = new WebConfig(null, null);

    public WebConfig {
        basicAuthUsers = basicAuthUsers == null ? Map.of() : Map.copyOf(basicAuthUsers);
        for (Map.Entry<String, String> user : basicAuthUsers.entrySet()) {
            String hash = user.getValue() == null ? "" : user.getValue();
            if (!hash.matches("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}")) {
                throw new InvalidValue("basic_auth_users." + user.getKey(), "basic_auth_users." + user.getKey()
                        + " is not a bcrypt hash; write the output of e.g. htpasswd -nbBC 10 \"\" PASSWORD without its leading ':'");
            }
        }
    }

    public boolean basicAuth() {
        return !basicAuthUsers.isEmpty();
    }

    /** TLS for the HTTP port; {@code clientAuthType} as in exporter-toolkit. */
    public record TlsServerConfig(Path certFile, Path keyFile, String clientAuthType, Path clientCaFile) {
        public TlsServerConfig {
            if (certFile == null || keyFile == null) {
                throw new InvalidValue("", "tls_server_config needs both cert_file and key_file");
            }
            clientAuthType = clientAuthType == null ? "NoClientCert" : clientAuthType;
            switch (clientAuthType) {
                case "NoClientCert" -> { }
                case "VerifyClientCertIfGiven", "RequireAndVerifyClientCert" -> {
                    if (clientCaFile == null) {
                        throw new InvalidValue("client_auth_type", "client_auth_type " + clientAuthType
                                + " needs client_ca_file, the CA that signs the clients' certificates");
                    }
                }
                case "RequestClientCert", "RequireAnyClientCert" -> throw new InvalidValue("client_auth_type",
                        "client_auth_type " + clientAuthType + " accepts certificates nobody verified; use "
                                + "VerifyClientCertIfGiven or RequireAndVerifyClientCert with client_ca_file");
                default -> throw new InvalidValue("client_auth_type", "client_auth_type '" + clientAuthType
                        + "' is not one of NoClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert");
            }
        }

        public boolean verifiesClients() {
            return !"NoClientCert".equals(clientAuthType);
        }

        public boolean requiresClientCert() {
            return "RequireAndVerifyClientCert".equals(clientAuthType);
        }
    }

    /** Loads {@code file}, resolving its paths against its directory; the files it names must exist. */
    public static WebConfig load(Path file) throws ConfigException {
        WebConfig c = ConfigLoader.load(file, WebConfig.class);
        Path dir = file.toAbsolutePath().getParent();
        TlsServerConfig tls = c.tlsServerConfig();
        if (tls != null) {
            tls = new TlsServerConfig(dir.resolve(tls.certFile()), dir.resolve(tls.keyFile()), tls.clientAuthType(),
                    tls.clientCaFile() == null ? null : dir.resolve(tls.clientCaFile()));
            require(file, "tls_server_config.cert_file", tls.certFile());
            require(file, "tls_server_config.key_file", tls.keyFile());
            if (tls.clientCaFile() != null) {
                require(file, "tls_server_config.client_ca_file", tls.clientCaFile());
            }
        }
        return new WebConfig(tls, c.basicAuthUsers());
    }

    private static void require(Path config, String key, Path p) throws ConfigException {
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(ConfigLoader.at(config, key) + key + " " + p
                    + " does not exist or is not readable; create it or fix the path.");
        }
    }
}
