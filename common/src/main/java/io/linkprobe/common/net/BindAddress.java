package io.linkprobe.common.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Whether a listen address can be bound here: an IP address of this host, a wildcard
 * ({@code 0.0.0.0}, {@code ::}) or a name resolving to one. Checked by {@code check-config} and at
 * load, so that a typo is a config error naming the fix, not a bind failure blamed on "whatever
 * holds the port". One rule for every listener (collector HTTP, embedded and standalone responder).
 */
public final class BindAddress {
    private BindAddress() {}

    /** Null if {@code address} can be bound here, else why not and the fix (no trailing period). */
    public static String problem(String address) {
        if (address == null || address.isBlank()) {
            return "is empty; write an address of this host such as 0.0.0.0, :: or 127.0.0.1";
        }
        InetAddress resolved;
        try {
            resolved = InetAddress.getByName(address.trim());
        } catch (UnknownHostException e) {
            return "'" + address + "' does not resolve to an address; write an IP address of this host, 0.0.0.0 or ::";
        }
        if (resolved.isAnyLocalAddress() || resolved.isLoopbackAddress()) {
            return null;
        }
        try {
            if (NetworkInterface.getByInetAddress(resolved) != null) {
                return null;
            }
        } catch (SocketException e) {
            return null; // cannot list interfaces: let the bind itself decide
        }
        String shown = resolved.getHostAddress().equals(address.trim()) ? "'" + address + "'"
                : "'" + address + "' (" + resolved.getHostAddress() + ")";
        return shown + " is not an address of this host; write one of its addresses, 0.0.0.0 or ::";
    }
}
