package io.linkprobe.collector;

import io.linkprobe.common.cli.BuildInfo;
import picocli.CommandLine;

/** Version, git revision, build date and Java runtime, as {@code --version} prints them. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {BuildInfo.current().versionLine("linkprobe-collector")};
    }
}
