package io.linkprobe.collector.archive;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The partitions that exist, shared by the writer and the readers of one archive: a connection
 * compares {@link #version} with the one it last synced to ({@link SqlDialect#show}) before use.
 */
final class Partitions {
    private record Snapshot(long version, Set<Partition> all) {}

    private volatile Snapshot snapshot;

    Partitions(Set<Partition> existing) {
        snapshot = new Snapshot(0, Collections.unmodifiableSet(new TreeSet<>(existing)));
    }

    Set<Partition> all() {
        return snapshot.all;
    }

    long version() {
        return snapshot.version;
    }

    boolean contains(Partition p) {
        return snapshot.all.contains(p);
    }

    synchronized void add(Partition p) {
        change(p, true);
    }

    synchronized void remove(Partition p) {
        change(p, false);
    }

    private void change(Partition p, boolean add) {
        Snapshot s = snapshot;
        if (s.all.contains(p) == add) {
            return;
        }
        TreeSet<Partition> next = new TreeSet<>(s.all);
        if (add) {
            next.add(p);
        } else {
            next.remove(p);
        }
        snapshot = new Snapshot(s.version + 1, Collections.unmodifiableSet(next));
    }
}
