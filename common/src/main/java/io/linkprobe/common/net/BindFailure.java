package io.linkprobe.common.net;

import java.net.InetSocketAddress;
import java.util.Locale;

/** Turns the usual reasons a listener cannot bind into one sentence with the fix. */
public final class BindFailure {
    private BindFailure() {}

    /**
     * @param proto "udp" or "tcp"
     * @param portSetting how the user changes the port, e.g. "--stamp-port" or "responder.stamp_port"
     */
    public static String explain(String proto, InetSocketAddress at, Throwable e, String portSetting) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        String where = proto + " port " + at.getPort() + " on " + at.getHostString();
        if (m.contains("permission denied") || m.contains("eacces")) {
            return "cannot listen on " + where + ": permission denied; grant CAP_NET_BIND_SERVICE (deploy/systemd does) "
                    + "or set " + portSetting + " above 1023.";
        }
        if (m.contains("address already in use") || m.contains("eaddrinuse")) {
            return "cannot listen on " + where + ": another program already uses it; stop it or change " + portSetting + ".";
        }
        if (m.contains("cannot assign") || m.contains("eaddrnotavail")) {
            return "cannot listen on " + where + ": that address is not on this machine; bind one of its addresses or 0.0.0.0.";
        }
        if (at.isUnresolved() || e instanceof java.net.UnknownHostException || m.contains("unresolved")) {
            return "cannot listen on " + where + ": the address does not resolve; bind an IP address of this host or 0.0.0.0.";
        }
        return "cannot listen on " + where + ": " + e.getMessage() + ".";
    }

    /**
     * True when the failure is the configuration's (a privileged port without the capability, an
     * address this host does not have or that does not resolve): exit code 2, fix the config.
     * A port another program holds is a failure of the moment (exit code 1).
     */
    public static boolean isConfigError(InetSocketAddress at, Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return !(m.contains("address already in use") || m.contains("eaddrinuse"));
    }
}
