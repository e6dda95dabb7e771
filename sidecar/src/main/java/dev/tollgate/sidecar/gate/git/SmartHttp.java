package dev.tollgate.sidecar.gate.git;

import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser.PacketLineOutRefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * git's smart HTTP protocol (stateless RPC, protocol v0/v1) for one remote, served from its mirror
 * by JGit's upload-pack and receive-pack. A client asking for protocol v2 ({@code Git-Protocol:
 * version=2}) gets a v0 advertisement, which every git client accepts: it falls back.
 *
 * <p>What is decided where: a ref advertisement (for a fetch or a push) and each upload-pack
 * request are {@code GitFetch}; a push is {@code GitPush}, decided by the {@link PushJudge} once
 * its commands and objects are received. Request bodies stream: upload-pack reads them as it
 * negotiates, receive-pack writes the pack to disk, in the push's quarantine.
 */
final class SmartHttp {

  private static final String UPLOAD = "git-upload-pack";
  private static final String RECEIVE = "git-receive-pack";

  private final GitSettings settings;
  private final MirrorStore mirrors;
  private final UpstreamGit upstream;
  private final ToolCallAuthorizer authorizer;

  SmartHttp(
      GitSettings settings,
      MirrorStore mirrors,
      UpstreamGit upstream,
      ToolCallAuthorizer authorizer) {
    this.settings = settings;
    this.mirrors = mirrors;
    this.upstream = upstream;
    this.authorizer = authorizer;
  }

  /**
   * {@code GET info/refs?service=...}: decided as {@code GitFetch} (it shows the upstream's refs),
   * then the mirror is fetched from the upstream and its refs advertised.
   */
  void infoRefs(HttpExchange exchange, GitReply reply, Bundle.GitRemote remote) throws IOException {
    String service = service(exchange.getRequestURI().getRawQuery());
    if (service == null) {
      reply.error(
          403,
          "Tollgate: only git's smart HTTP protocol is served here"
              + " (info/refs?service=git-upload-pack or git-receive-pack)");
      return;
    }
    ToolCall call = GitCalls.fetch(remote.name());
    if (!allowed(call, reply)) {
      return;
    }
    MirrorStore.Mirror mirror = mirror(remote, reply);
    if (mirror == null) {
      return;
    }
    mirror.lock().lock();
    try {
      upstream.refresh(mirror.repository(), remote);
      MirrorPacks.ensureBitmap(mirror.repository());
    } catch (UpstreamGitException e) {
      String message = "Tollgate: upstream unreachable: " + e.getMessage();
      authorizer.recordOutcome(call, true, TextNode.valueOf(message));
      reply.error(502, message);
      return;
    } finally {
      mirror.lock().unlock();
    }
    try (OutputStream out = reply.stream("application/x-" + service + "-advertisement")) {
      PacketLineOut packets = new PacketLineOut(out);
      packets.writeString("# service=" + service + "\n");
      packets.end();
      PacketLineOutRefAdvertiser advertiser = new PacketLineOutRefAdvertiser(packets);
      if (UPLOAD.equals(service)) {
        uploadPack(mirror).sendAdvertisedRefs(advertiser);
      } else {
        receivePack(mirror.repository()).sendAdvertisedRefs(advertiser);
      }
    }
  }

  /** {@code POST git-upload-pack}: decided as {@code GitFetch}, served from the mirror. */
  void uploadPack(HttpExchange exchange, GitReply reply, Bundle.GitRemote remote)
      throws IOException {
    if (!contentType(exchange, reply, UPLOAD)) {
      return;
    }
    if (!allowed(GitCalls.fetch(remote.name()), reply)) {
      return;
    }
    MirrorStore.Mirror mirror = mirror(remote, reply);
    if (mirror == null) {
      return;
    }
    InputStream body = body(exchange, reply);
    if (body == null) {
      return;
    }
    try (OutputStream out = reply.stream("application/x-git-upload-pack-result")) {
      uploadPack(mirror).upload(body, out, null);
    }
  }

  /**
   * {@code POST git-receive-pack}: the commands and pack are received into a quarantine of their
   * own, judged against the mirror's refs; the {@link PushJudge} decides and forwards before any
   * ref moves, moves what landed into the mirror, and sets each command's status, which git prints
   * per ref. The quarantine is deleted however the push ends.
   */
  void receivePack(HttpExchange exchange, GitReply reply, Bundle.GitRemote remote)
      throws IOException {
    if (!contentType(exchange, reply, RECEIVE)) {
      return;
    }
    MirrorStore.Mirror mirror = mirror(remote, reply);
    if (mirror == null) {
      return;
    }
    InputStream body = body(exchange, reply);
    if (body == null) {
      return;
    }
    PushQuarantine quarantine;
    try {
      quarantine = mirror.quarantine();
    } catch (IOException e) {
      reply.error(500, "Tollgate: the push cannot be received (" + e.getMessage() + ")");
      return;
    }
    try (quarantine) {
      ReceivePack pack = receivePack(quarantine.repository());
      // Old ids are checked against the mirror's refs (the upstream's); the quarantine has none.
      pack.setAdvertisedRefs(refs(mirror.repository()), Set.of());
      pack.setPreReceiveHook(new PushJudge(remote, mirror, quarantine, upstream, authorizer));
      try (OutputStream out = reply.stream("application/x-git-receive-pack-result")) {
        try {
          pack.receive(body, out, null);
        } finally {
          // Before the answer ends: when the client's git returns, nothing of its push is left.
          quarantine.close();
        }
      }
    }
  }

  private UploadPack uploadPack(MirrorStore.Mirror mirror) {
    UploadPack pack = new UploadPack(mirror.repository());
    pack.setBiDirectionalPipe(false);
    pack.setTimeout(settings.timeoutSeconds());
    pack.setPackConfig(MirrorPacks.serving(mirror.repository()));
    return pack;
  }

  private ReceivePack receivePack(Repository repository) {
    ReceivePack pack = new ReceivePack(repository);
    pack.setBiDirectionalPipe(false);
    // Every kind of update reaches the judge, which decides by policy; JGit's own refusals would
    // decide instead of the policy (and say nothing of why).
    pack.setAllowCreates(true);
    pack.setAllowDeletes(true);
    pack.setAllowBranchDeletes(true);
    pack.setAllowNonFastForwards(true);
    pack.setAllowPushOptions(false);
    // Advertised; whether this push is atomic is the client's choice (ReceivePack.isAtomic()).
    pack.setAtomic(true);
    pack.setMaxPackSizeLimit(settings.maxPackBytes());
    return pack;
  }

  private static Map<String, Ref> refs(Repository repository) throws IOException {
    Map<String, Ref> refs = new HashMap<>();
    for (Ref ref : repository.getRefDatabase().getRefs()) {
      refs.put(ref.getName(), ref);
    }
    return refs;
  }

  private boolean allowed(ToolCall call, GitReply reply) throws IOException {
    Decision decision = authorizer.authorizeGate(call, false).join();
    if (decision.outcome() == Outcome.ALLOW) {
      return true;
    }
    reply.error(403, "Tollgate: " + decision.summary());
    return false;
  }

  private MirrorStore.Mirror mirror(Bundle.GitRemote remote, GitReply reply) throws IOException {
    try {
      return mirrors.open(remote);
    } catch (IOException e) {
      reply.error(500, "Tollgate: " + e.getMessage());
      return null;
    }
  }

  private static boolean contentType(HttpExchange exchange, GitReply reply, String service)
      throws IOException {
    String expected = "application/x-" + service + "-request";
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (expected.equals(type)) {
      return true;
    }
    reply.error(415, "Tollgate: expected Content-Type " + expected + ", got " + type);
    return false;
  }

  /** The request body, decompressed when git sent it gzipped (large negotiations). */
  private static InputStream body(HttpExchange exchange, GitReply reply) throws IOException {
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    InputStream in = exchange.getRequestBody();
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return in;
    }
    if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
      return new GZIPInputStream(in);
    }
    reply.error(415, "Tollgate: unsupported Content-Encoding " + encoding);
    return null;
  }

  /** The {@code service} parameter when it names one of git's two smart services, else null. */
  private static String service(String query) {
    if (query == null) {
      return null;
    }
    for (String parameter : query.split("&")) {
      if (parameter.equals("service=" + UPLOAD)) {
        return UPLOAD;
      }
      if (parameter.equals("service=" + RECEIVE)) {
        return RECEIVE;
      }
    }
    return null;
  }
}
