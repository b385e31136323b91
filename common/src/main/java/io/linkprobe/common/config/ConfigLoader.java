package io.linkprobe.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import java.util.stream.Collectors;

/**
 * Loads a YAML file into an immutable config record.
 *
 * <p>Keys are snake_case ({@code token_file} fills {@code tokenFile}). An unknown key is an error
 * naming file, line and the keys that are allowed there, because a misspelt key silently ignored is
 * a setting the operator believes is in force. Records apply their defaults and validate in their
 * compact constructors (throwing {@link IllegalArgumentException}); such an error is reported at
 * the line of the object that failed.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            // A key given twice in one mapping: YAML forbids it, and silently taking the last one
            // hides the setting the operator was looking at.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule("linkprobe-config")
                    .addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    private ConfigLoader() {}

    public static <T> T load(Path file, Class<T> type) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file; pass the path of an existing config file.");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + "); check the path and its permissions.");
        }
        return parse(file.toString(), text, type);
    }

    /** Parses {@code text}; {@code name} is what error messages call the source. */
    public static <T> T parse(String name, String text, Class<T> type) throws ConfigException {
        if (text.isBlank()) {
            throw new ConfigException(name + ": the file is empty; see the README for a minimal config.");
        }
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new ConfigException(name + ": the file holds no settings; see the README for a minimal config.");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(where(name, text, pathOf(e), e) + "unknown key '" + e.getPropertyName() + "'"
                    + allowed(e.getKnownPropertyIds()) + "; fix or remove it.", e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            List<Object> at = pathOf(e);
            if (cause instanceof InvalidValue iv) {
                at.addAll(YamlLocator.parseKey(iv.key()));
            }
            throw new ConfigException(where(name, text, at, e) + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            if (e.getTargetType() == Duration.class && String.valueOf(e.getValue()).trim().matches("\\d+(\\.\\d+)?")) {
                String v = String.valueOf(e.getValue()).trim();
                throw new ConfigException(where(name, text, pathOf(e), e) + "'" + path(e) + ": " + v
                        + "' has no unit; write e.g. " + v + "s (units: ms, s, m, h, d).", e);
            }
            throw new ConfigException(where(name, text, pathOf(e), e) + "'" + e.getValue() + "' is not a valid "
                    + friendlyType(e.getTargetType()) + " for '" + path(e) + "'"
                    + (e.getTargetType() == Duration.class ? "; write e.g. 200ms, 60s, 5m or 4h." : example(path(e), e.getTargetType())), e);
        } catch (MismatchedInputException e) {
            String key = path(e);
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Missing required creator property")) {
                problem = "a required key is missing";
                throw new ConfigException(where(name, text, pathOf(e), e) + problem + (key.isEmpty() ? "" : " at '" + key + "'") + ".", e);
            }
            throw new ConfigException(where(name, text, pathOf(e), e) + typeError(key, e.getTargetType()), e);
        } catch (JsonMappingException e) {
            if (yamlProblem(e) != null || String.valueOf(e.getOriginalMessage()).contains("Duplicate field")) {
                throw new ConfigException(syntaxError(name, e), e);
            }
            throw new ConfigException(where(name, e) + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxError(name, e), e);
        }
    }

    /**
     * A YAML syntax error or a duplicate key as one sentence at file:line:column, not the parser's
     * multi-line excerpt of the file.
     */
    private static String syntaxError(String name, JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        java.util.regex.Matcher dup = java.util.regex.Pattern.compile("Duplicate field '([^']*)'").matcher(original);
        if (dup.find()) {
            return where(name, e) + "key '" + dup.group(1) + "' appears twice in the same mapping; keep one of them.";
        }
        org.yaml.snakeyaml.error.MarkedYAMLException y = yamlProblem(e);
        if (y != null) {
            Mark mark = y.getProblemMark();
            String problem = y.getProblem() == null ? "unexpected text" : y.getProblem();
            Mark from = y.getContextMark();
            String context = y.getContext() == null ? "" : " " + y.getContext()
                    + (from == null ? "" : " that starts at line " + (from.getLine() + 1) + ", column " + (from.getColumn() + 1));
            return name + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": not valid YAML: " + problem
                    + context + "; check the indentation, quotes and colons around that spot.";
        }
        String firstLine = original.lines().findFirst().orElse("unexpected text");
        return where(name, e) + "not valid YAML: " + firstLine + "; check the indentation, quotes and colons around that spot.";
    }

    /** The YAML parser's own error in the cause chain, if it has a position. */
    private static org.yaml.snakeyaml.error.MarkedYAMLException yamlProblem(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
                return y;
            }
        }
        return null;
    }

    /**
     * "{@code file:line:column: }" of a key path (e.g. {@code collector.token_file}) in a config
     * file, for problems found after loading (a file the config names is missing); "{@code file: }"
     * when the key is not in the file.
     */
    public static String at(Path file, String keyPath) {
        try {
            Mark mark = YamlLocator.locate(Files.readString(file), YamlLocator.parseKey(keyPath));
            if (mark != null) {
                return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
            }
        } catch (IOException | RuntimeException e) {
            // Fall through: the file name alone still says where.
        }
        return file + ": ";
    }

    private static List<Object> pathOf(JsonMappingException e) {
        List<Object> out = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            out.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
        }
        return out;
    }

    /** The line of the key itself where the YAML allows finding it, else where the parser stood. */
    private static String where(String name, String text, List<Object> path, JsonProcessingException e) {
        if (!path.isEmpty()) {
            Mark mark = YamlLocator.locate(text, path);
            if (mark != null) {
                return name + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
            }
        }
        if (e instanceof ValueInstantiationException) {
            return name + ": ";
        }
        return where(name, e);
    }

    private static String where(String name, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (loc == null || loc.getLineNr() < 1) {
            return name + ": ";
        }
        return name + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String allowed(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "";
        }
        return " (allowed here: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    /** "'port' needs a whole number; write e.g. port: 10" — the kind of value and how to write it. */
    private static String typeError(String key, Class<?> type) {
        String leaf = key.isEmpty() ? "value" : key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        String example;
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            example = leaf + ": 10";
        } else if (type == double.class || type == Double.class) {
            example = leaf + ": 0.5";
        } else if (type == boolean.class || type == Boolean.class) {
            example = leaf + ": true";
        } else if (type != null && java.util.Collection.class.isAssignableFrom(type)) {
            example = leaf + ": [...] or one '- item' per line below it";
        } else if (type != null && (java.util.Map.class.isAssignableFrom(type) || type.isRecord())) {
            example = leaf + ": followed by its keys indented on the lines below";
        } else {
            example = leaf + ": some-text";
        }
        return "'" + (key.isEmpty() ? "the value" : key) + "' needs " + article(friendlyType(type)) + "; write e.g. "
                + example + ".";
    }

    private static String example(String key, Class<?> type) {
        if (type != null && type.isEnum()) {
            return "."; // the message already lists the values
        }
        String msg = typeError(key, type);
        return msg.substring(msg.indexOf(";")) ;
    }

    private static String article(String kind) {
        return kind.startsWith("one of") ? kind : (kind.matches("^[aeiou].*") ? "an " : "a ") + kind;
    }

    private static String friendlyType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        if (type == double.class || type == Double.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true/false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT);
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "mapping";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Reads {@code 200ms}, {@code 60s}, {@code 4h}. A bare number is refused: {@code window: 60}
     * could mean seconds or milliseconds, and guessing wrong is a setting 1000 times off.
     */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            try {
                if (text.trim().matches("\\d+(\\.\\d+)?")) {
                    throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p,
                            "a duration needs a unit", text, Duration.class);
                }
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }
}
