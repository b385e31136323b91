package io.linkprobe.common.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;

/**
 * The one place plan JSON becomes a {@link Plan}: what an agent received from
 * {@code GET /api/v1/plan}, or kept on disk. Whatever the bytes, it returns a plan or throws
 * {@link UnusablePlanException} with one line saying why; no other exception leaves it. Beyond the
 * records' own checks ({@link Plan}'s constructors, "unusable plan: ...") it requires what the agent
 * echoes or sends back: a {@code version} (the agent's {@code If-None-Match} and the
 * {@code plan_version} of its health) and a site id, both by {@link Names}' rule, so that nothing
 * from a plan can put a control character into a header or a log line.
 */
public final class PlanReader {
    static final String PREFIX = "unusable plan: ";
    /** A plan of 16 targets is under 2 KiB; anything near this bound is not a plan. */
    public static final int MAX_BYTES = 256 * 1024;
    private static final int MAX_REASON = 200;

    private PlanReader() {}

    public static Plan read(byte[] json) throws UnusablePlanException {
        if (json.length > MAX_BYTES) {
            throw new UnusablePlanException(json.length + " bytes is more than a plan can be (" + MAX_BYTES + ")");
        }
        Plan plan;
        try {
            plan = Json.mapper().readValue(json, Plan.class);
        } catch (JsonProcessingException e) {
            throw new UnusablePlanException(reason(e));
        } catch (IOException | RuntimeException e) {
            throw new UnusablePlanException("cannot read it (" + shorten(String.valueOf(e.getMessage())) + ")");
        }
        if (plan == null) {
            throw new UnusablePlanException("the body is JSON null, not a plan");
        }
        check("site", plan.site());
        check("version", plan.version());
        return plan;
    }

    private static void check(String field, String value) throws UnusablePlanException {
        String problem = Names.nameProblem(value);
        if (problem != null) {
            throw new UnusablePlanException(field + " " + problem);
        }
    }

    /**
     * A record's constructor that refused a value says why ("unusable plan: ..."): that reason;
     * a null in a list or map where a value belongs, or JSON that is no plan, in a few words.
     */
    private static String reason(JsonProcessingException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null && t.getMessage().startsWith(PREFIX)) {
                return t.getMessage();
            }
            if (t instanceof NullPointerException) {
                return "a list or map in it holds null";
            }
        }
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int hint = message.indexOf(" (set DeserializationConfig");
        if (hint > 0) {
            message = message.substring(0, hint); // Jackson's advice to its programmer, not to an operator
        }
        String at = e instanceof JsonMappingException m ? path(m) : "";
        return "not plan JSON (" + (at.isEmpty() ? "" : at + ": ") + shorten(message) + ")";
    }

    /** Where in the plan the mapping failed, e.g. {@code throughput.every_millis} or {@code targets[0]}. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** The first line, cut short; what is left unprintable, UnusablePlanException shows as ?. */
    private static String shorten(String message) {
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "…" : line;
    }
}
