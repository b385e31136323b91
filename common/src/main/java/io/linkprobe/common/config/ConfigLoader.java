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
            throw new ConfigException(where(name, text, pathOf(e), e) + "'" + e.getValue() + "' is not a valid "
                    + friendlyType(e.getTargetType()) + " for '" + path(e) + "'"
                    + (e.getTargetType() == Duration.class ? "; write e.g. 200ms, 60s, 5m or 4h." : "."), e);
        } catch (MismatchedInputException e) {
            String key = path(e);
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Missing required creator property")) {
                problem = "a required key is missing";
            } else {
                problem = "wrong kind of value (expected " + friendlyType(e.getTargetType()) + ")";
            }
            throw new ConfigException(where(name, text, pathOf(e), e) + problem + (key.isEmpty() ? "" : " at '" + key + "'") + ".", e);
        } catch (JsonMappingException e) {
            throw new ConfigException(where(name, e) + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(name, e) + "not valid YAML: " + e.getOriginalMessage(), e);
        }
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

    /** Reads {@code 200ms}, {@code 60s}, {@code 4h}; a bare number is seconds. */
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
                if (text.matches("\\d+(\\.\\d+)?")) {
                    return Durations.parse(text + "s");
                }
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }
}
