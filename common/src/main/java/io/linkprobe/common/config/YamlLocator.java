package io.linkprobe.common.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds the line of a key path in YAML text. Jackson reports where its parser stood when a record
 * failed, which for buffered creator properties is past the object; the operator needs the line of
 * the key itself.
 */
final class YamlLocator {
    private YamlLocator() {}

    /**
     * Path elements are field names (String) or list indexes (Integer). Returns null if the path
     * is not in the text (a required key that is missing has no line to point at).
     */
    static Mark locate(String text, List<Object> path) {
        Node node;
        try {
            node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            return null;
        }
        if (node == null) {
            return null;
        }
        Mark mark = node.getStartMark();
        for (Object element : path) {
            if (element instanceof Integer i && node instanceof SequenceNode seq) {
                if (i < 0 || i >= seq.getValue().size()) {
                    return null;
                }
                node = seq.getValue().get(i);
                mark = node.getStartMark();
            } else if (element instanceof String key && node instanceof MappingNode map) {
                NodeTuple found = null;
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                        found = t;
                        break;
                    }
                }
                if (found == null) {
                    return null;
                }
                mark = found.getKeyNode().getStartMark();
                node = found.getValueNode();
            } else {
                return null;
            }
        }
        return mark;
    }

    /** Parses {@code "targets[1].name"} into {@code ["targets", 1, "name"]}. */
    static List<Object> parseKey(String key) {
        List<Object> out = new ArrayList<>();
        for (String part : key.split("\\.")) {
            if (!part.matches("[^\\[\\]]*(\\[[0-9]{1,9}])*")) {
                out.add(part); // a map key of the operator's own with brackets in it ("gp-[leeds"), not an index
                continue;
            }
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) {
                out.add(name);
            }
            while (bracket >= 0) {
                int end = part.indexOf(']', bracket);
                out.add(Integer.parseInt(part.substring(bracket + 1, end)));
                bracket = part.indexOf('[', end);
            }
        }
        return out;
    }
}
