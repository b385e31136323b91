package io.linkprobe.collector.reload;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP, the Unix way of asking a daemon to re-read its configuration
 * ({@code systemctl reload}, {@code kill -HUP}). The JDK has no public signal API; its
 * {@code sun.misc.Signal} (module jdk.unsupported, exported for exactly this use) is reached by
 * reflection so that the build stays free of the compiler's internal-API warning.
 */
public final class Hangup {
    private static final Logger log = LoggerFactory.getLogger(Hangup.class);

    private Hangup() {}

    /** Installs {@code action} as the SIGHUP handler; returns false (and logs why) where that is impossible. */
    public static boolean onSignal(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            Object proxy = Proxy.newProxyInstance(Hangup.class.getClassLoader(), new Class<?>[] {handler},
                    (self, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> run(action);
                            case "hashCode" -> {
                                return System.identityHashCode(self);
                            }
                            case "equals" -> {
                                return self == args[0];
                            }
                            case "toString" -> {
                                return "linkprobe SIGHUP handler";
                            }
                            default -> {
                                // SignalHandler has only handle().
                            }
                        }
                        return null;
                    });
            Object previous = signal.getMethod("handle", signal, handler).invoke(null, hup, proxy);
            if (previous == handler.getField("SIG_IGN").get(null)) {
                // The JVM keeps a SIGHUP its parent ignored (nohup, some supervisors) ignored, and
                // says so only through the handler it hands back.
                log.warn("SIGHUP is ignored in this process (it was started under nohup or by a parent that ignores "
                        + "SIGHUP), so it cannot reload on SIGHUP: reload with POST /-/reload, or start it without nohup");
                return false;
            }
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException | NoSuchFieldException | RuntimeException e) {
            log.warn("SIGHUP cannot be handled on this Java runtime ({}); reload with POST /-/reload instead", e.toString());
            return false;
        }
    }

    private static void run(Runnable action) {
        // The signal arrives on the JVM's signal thread: hand over and return at once.
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("reload on SIGHUP failed", e);
            }
        }, "sighup-reload");
        t.setDaemon(true);
        t.start();
    }
}
