package io.linkprobe.collector;

import io.linkprobe.common.cli.ExitCodes;
import picocli.CommandLine;

/** The jar's version, from its manifest (absent when run from classes, e.g. in tests). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"linkprobe-collector " + ExitCodes.version(Collector.class)};
    }
}
