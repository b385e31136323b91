package io.linkprobe.collector.ingest;

import io.linkprobe.common.wire.Json;

import com.fasterxml.jackson.databind.ObjectReader;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.linkprobe.collector.archive.Archive;
import io.linkprobe.collector.archive.ArchiveBatch;
import io.linkprobe.collector.archive.ArchiveOverloadedException;
import io.linkprobe.collector.archive.ArchiveWriteException;
import io.linkprobe.collector.archive.StoreResult;
import io.linkprobe.collector.auth.BearerAuth;
import io.linkprobe.common.auth.TokenStore;
import io.linkprobe.collector.http.Endpoint;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectReason;
import io.linkprobe.collector.http.Reply;
import io.linkprobe.collector.http.Request;
import io.linkprobe.collector.metrics.SelfMetrics;
import io.linkprobe.collector.sites.SiteRegistry;
import io.linkprobe.common.wire.PushAck;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.CharConversionException;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/samples}: authenticate, parse, validate, bind the token to its site, admit
 * against the site limits, store durably, and only then ack and aggregate. A replay of a stored
 * batch is acked as a duplicate and not aggregated again.
 *
 * <pre>
 * 200 {"acked_sequence": 41, "duplicate": false}
 * 400 malformed push: samples[3].direction 'sideways' is not down or up
 * 401 / 403 / 409 / 413 / 429 + Retry-After / 503 + Retry-After   (one line each, see RejectReason)
 * 503 + Retry-After: 30 the collector's archive is out of disk space; the push was not stored, retry later
 * </pre>
 */
public final class SamplesEndpoint implements Endpoint {
    public static final String PATH = "/api/v1/samples";
    private static final Logger log = LoggerFactory.getLogger(SamplesEndpoint.class);
    private static final ObjectReader BATCH = Json.mapper().readerFor(PushBatch.class);

    private final BearerAuth auth;
    private final PushValidator validator;
    private final SiteRegistry sites;
    private final Archive archive;
    private final SelfMetrics self;
    private final Clock clock;

    public SamplesEndpoint(Supplier<TokenStore> tokens, PushValidator validator, SiteRegistry sites, Archive archive,
            SelfMetrics self, Clock clock) {
        this.auth = new BearerAuth(tokens);
        this.validator = validator;
        this.sites = sites;
        this.archive = archive;
        this.self = self;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Reply> handle(Request request) {
        long now = clock.millis();
        try {
            String site = auth.site(request);
            PushBatch batch = parse(request.body());
            validator.validate(batch, now);
            if (!site.equals(batch.agent().site())) {
                throw new RefusedException(RejectReason.WRONG_SITE, "this token admits site '" + site
                        + "', but the push is for site '" + batch.agent().site() + "'; use the site's own token");
            }
            sites.admit(batch.agent(), batch.samples().stream().map(Sample::target).filter(Objects::nonNull)
                    .collect(Collectors.toSet()), now);
            ArchiveBatch stored = ArchiveEncoding.encode(batch, now);
            CompletableFuture<StoreResult> commit;
            try {
                commit = archive.store(stored);
            } catch (ArchiveOverloadedException e) {
                throw new RefusedException(RejectReason.ARCHIVE_OVERLOADED, e.getMessage());
            }
            return commit.handleAsync((result, error) -> afterCommit(batch, result, error, now), request.loop());
        } catch (RefusedException e) {
            self.count(e.reason());
            return CompletableFuture.completedFuture(BearerAuth.refused(e));
        }
    }

    private Reply afterCommit(PushBatch batch, StoreResult result, Throwable error, long now) {
        if (error != null) {
            return refusedByArchive(batch, error);
        }
        switch (result.outcome()) {
            case STORED -> {
                sites.record(batch.agent(), batch.samples(), now);
                self.ingested(batch.samples().size());
                return Reply.json(HttpResponseStatus.OK, new PushAck(result.ackedSequence(), false));
            }
            case DUPLICATE -> {
                self.duplicate();
                return Reply.json(HttpResponseStatus.OK, new PushAck(result.ackedSequence(), true));
            }
            default -> {
                self.count(RejectReason.BATCH_CONFLICT);
                return Reply.refused(RejectReason.BATCH_CONFLICT, "agent '" + batch.agent().agentId()
                        + "' already stored sequence " + batch.sequence() + " for another site; give each agent its own agent id");
            }
        }
    }

    /**
     * The archive rolled the batch back (key and samples together): 503, so that the agent keeps it
     * and retries. The archive logs when it stops and starts writing; one line per push at most.
     */
    private Reply refusedByArchive(PushBatch batch, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        boolean full = cause instanceof ArchiveWriteException w && w.kind() == ArchiveWriteException.Kind.FULL;
        RejectReason reason = full ? RejectReason.ARCHIVE_FULL : RejectReason.ARCHIVE_ERROR;
        self.count(reason);
        if (full) {
            log.debug("archive full: {} seq {} not stored", batch.agent().agentId(), batch.sequence());
            return Reply.refused(reason, "the collector's archive is out of disk space; the push was not stored, retry later");
        }
        log.warn("archive write of {} seq {} failed: {}", batch.agent().agentId(), batch.sequence(), cause.getMessage());
        return Reply.refused(reason,
                "the collector's archive could not store the push (see the collector's log); it was not stored, retry later");
    }

    /** The body as a push, or the refusal that says why it is not one. */
    static PushBatch parse(ByteBuf body) throws RefusedException {
        if (body.readableBytes() == 0) {
            throw new RefusedException(RejectReason.MALFORMED, "malformed push: the body is empty; send a JSON PushBatch");
        }
        try (ByteBufInputStream in = new ByteBufInputStream(body.duplicate())) {
            PushBatch batch = BATCH.readValue((java.io.InputStream) in);
            if (batch == null) {
                throw new RefusedException(RejectReason.MALFORMED, "malformed push: the body is JSON null");
            }
            return batch;
        } catch (JsonProcessingException e) {
            throw new RefusedException(RejectReason.MALFORMED, "malformed push: " + describe(e));
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16/32 from leading zero bytes and then meets a character that is none
            throw new RefusedException(RejectReason.MALFORMED, "malformed push: the body is not UTF-8 JSON; send a JSON PushBatch");
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory buffer cannot fail", e);
        }
    }

    /** One line: where in the JSON, which field, and Jackson's own words without its source dump. */
    static String describe(JsonProcessingException e) {
        StringBuilder line = new StringBuilder();
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            line.append("line ").append(loc.getLineNr()).append(" column ").append(loc.getColumnNr()).append(": ");
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            line.append(m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[")).append(": ");
        }
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        line.append(message.length() > 200 ? message.substring(0, 200) + "…" : message);
        return line.toString();
    }
}
