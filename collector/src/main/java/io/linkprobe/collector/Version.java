package io.linkprobe.collector;

import picocli.CommandLine;

/** The jar's version, from its manifest (absent when run from classes, e.g. in tests). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Collector.class.getPackage().getImplementationVersion();
        return new String[] {"linkprobe-collector " + (v == null ? "(development build)" : v)};
    }
}
