package io.linkprobe.collector.fleet;

import io.linkprobe.common.wire.Names;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.config.InvalidValue;
import io.linkprobe.common.config.SettingRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet file ({@code fleet_file:} in collector.yml): what every site measures, decided in one
 * place. Loaded by common's {@link ConfigLoader}, so an unknown key is an error naming file and
 * line, and every setting is checked by the rule {@code agent.yml} uses. Annotated example:
 * {@code deploy/examples/fleet.yml}. The smallest useful file:
 *
 * <pre>
 * defaults: {targets: [{name: hub, host: 127.0.0.1, stamp_port: 862}]}
 * sites: {s1: {}}
 * </pre>
 *
 * <p>A site's settings are {@code defaults}, then every group whose {@code match} its labels
 * satisfy (in file order), then {@code sites.<id>}; each level overrides the keys it sets. Every
 * site holding a token gets a plan, whether or not it is listed under {@code sites}.
 */
public record FleetFile(
        List<PoolResponder> responders,
        EmbeddedInPool embeddedResponder,
        Layer defaults,
        List<FleetGroup> groups,
        Map<String, FleetSite> sites) {

    /** No fleet file: the embedded responder is the pool, every setting is agent.yml's default. */
    public static final FleetFile NONE = new FleetFile(null, null, null, null, null);

    public FleetFile {
        responders = responders == null ? List.of() : List.copyOf(responders);
        embeddedResponder = embeddedResponder == null ? EmbeddedInPool.DEFAULT : embeddedResponder;
        defaults = defaults == null ? Layer.EMPTY : defaults;
        groups = groups == null ? List.of() : List.copyOf(groups);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < responders.size(); i++) {
            if (!names.add(responders.get(i).name())) {
                throw new InvalidValue("responders[" + i + "].name", "responder name '" + responders.get(i).name()
                        + "' is used twice; give each responder its own name");
            }
        }
        names.clear();
        for (int i = 0; i < groups.size(); i++) {
            if (!names.add(groups.get(i).name())) {
                throw new InvalidValue("groups[" + i + "].name", "group name '" + groups.get(i).name()
                        + "' is used twice; give each group its own name");
            }
        }
        Map<String, FleetSite> copy = new LinkedHashMap<>();
        if (sites != null) {
            for (Map.Entry<String, FleetSite> e : sites.entrySet()) {
                String problem = Names.nameProblem(e.getKey());
                if (problem != null) {
                    throw new InvalidValue("sites." + e.getKey(), "site id " + problem);
                }
                copy.put(e.getKey(), e.getValue() == null ? FleetSite.EMPTY : e.getValue());
            }
        }
        sites = Collections.unmodifiableMap(copy);
        // The video rules between two keys (rate and packet size, step and call duration), at each
        // level over the defaults, so that the file is refused at load rather than a site's plan.
        defaults.video().complete();
        for (FleetGroup g : groups) {
            g.layer().video().over(defaults.video()).complete();
        }
        for (FleetSite s : sites.values()) {
            s.layer().video().over(defaults.video()).complete();
        }
    }

    public static FleetFile load(Path file) throws ConfigException {
        return ConfigLoader.load(file, FleetFile.class);
    }

    /** The site's own entry, or {@link FleetSite#EMPTY} when it is not listed. */
    public FleetSite site(String site) {
        return sites.getOrDefault(site, FleetSite.EMPTY);
    }

    /**
     * The levels that apply to a site with {@code labels}, lowest first: defaults, the matching
     * groups in file order, the site's own entry.
     */
    public List<Layer> layersFor(String site, Map<String, String> labels) {
        List<Layer> layers = new ArrayList<>(groups.size() + 2);
        layers.add(defaults);
        for (FleetGroup g : groups) {
            if (g.matches(labels)) {
                layers.add(g.layer());
            }
        }
        layers.add(site(site).layer());
        return layers;
    }

    /**
     * A site's merged settings.
     *
     * @param reportedLabels the labels of the site's latest push (empty if none), which choose its
     *     groups unless the fleet file gives the site labels of its own
     */
    public SiteSettings resolve(String site, Map<String, String> reportedLabels) {
        FleetSite own = site(site);
        Map<String, String> labels = own.labels() != null ? own.labels() : reportedLabels;
        Layer merged = Layer.EMPTY;
        for (Layer layer : layersFor(site, labels)) {
            merged = layer.over(merged);
        }
        return new SiteSettings(site, own.labels() != null ? own.labels() : Map.of(), groupsOf(labels),
                merged.expected(), merged.targets(),
                merged.window() != null ? merged.window() : SettingRules.DEFAULT_WINDOW,
                merged.latency().complete(), merged.throughput().complete(), merged.video().complete());
    }

    /** The names of the groups a site with {@code labels} is in, in file order. */
    public List<String> groupsOf(Map<String, String> labels) {
        return groups.stream().filter(g -> g.matches(labels)).map(FleetGroup::name).toList();
    }
}
