package dev.tollgate.sidecar.gate.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.GateWorkers;
import dev.tollgate.sidecar.http.Routes;
import dev.tollgate.sidecar.policy.PolicyState;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /git/<remote>/...}: the git gateway (DESIGN.md §8.3). The agent's git client talks smart
 * HTTP to it; the gateway serves fetches from a bare mirror of the upstream and decides each push
 * on what it changes ({@code GitPush}), forwarding an allowed one with the credential only the
 * sidecar holds. Remotes are the bundle's {@code gitRemotes}; any other name is a 404.
 *
 * <p>This class routes: the JDK server's threads only hand the exchange over, and mirror fetches,
 * packs and pushes held for approval run on the gateway's own bounded pool (full → 503).
 */
public final class GitGateway implements HttpHandler, Gate {

  public static final String PATH = GitPath.PREFIX;

  private static final Logger LOG = Logger.getLogger(GitGateway.class.getName());

  /** Read by JGit at every SHA-1 it starts ({@code org.eclipse.jgit.util.sha1.SHA1}). */
  private static final String JGIT_SHA1 = "org.eclipse.jgit.util.sha1.implementation";

  private final PolicyState state;
  private final ToolCallAuthorizer authorizer;
  private final MirrorStore mirrors;
  private final SmartHttp smartHttp;
  private final ThreadPoolExecutor workers;

  public GitGateway(GitSettings settings, PolicyState state, ToolCallAuthorizer authorizer) {
    this.state = state;
    this.authorizer = authorizer;
    // JVM-wide, and JGit serves only this gateway in the sidecar; set either way, so the setting
    // (not a stray -D or a user gitconfig) decides.
    System.setProperty(JGIT_SHA1, settings.detectSha1Collisions() ? "java" : "jdkNative");
    this.mirrors = new MirrorStore(settings.mirrorDir());
    this.smartHttp = new SmartHttp(settings, mirrors, new UpstreamGit(settings), authorizer);
    this.workers = GateWorkers.bounded("git", settings.threads());
  }

  /** Not guarded: the gateway answers on its own threads, after {@code handle} returned. */
  @Override
  public void mount(Routes routes) {
    routes.direct(PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      workers.execute(() -> serve(exchange));
    } catch (RejectedExecutionException e) {
      GitReply reply = new GitReply(exchange);
      try {
        exchange.getResponseHeaders().set("Retry-After", "1");
        reply.error(503, "Tollgate: the git gateway is busy; retry");
      } catch (IOException ignored) {
        // the client left
      } finally {
        exchange.close();
      }
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    mirrors.close();
  }

  private void serve(HttpExchange exchange) {
    GitReply reply = new GitReply(exchange);
    try {
      route(exchange, reply);
    } catch (IOException e) {
      LOG.log(Level.FINE, "git client connection failed", e);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "git gateway failed for " + exchange.getRequestURI().getPath(), e);
      try {
        reply.error(500, "Tollgate: internal error in the git gateway");
      } catch (IOException | RuntimeException ignored) {
        // nothing more to do
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, GitReply reply) throws IOException {
    String rawPath = exchange.getRequestURI().getPath();
    Optional<GitPath> parsed = GitPath.parse(rawPath);
    if (parsed.isEmpty()) {
      // Audited as a fetch nobody could serve, so probing the gateway leaves a trace.
      authorizer.refuse(GitCalls.fetch(GitPath.remoteOf(rawPath)), "no git endpoint at " + rawPath);
      reply.error(
          404,
          "Tollgate: no git endpoint at "
              + rawPath
              + "; the gateway serves /git/<remote>/info/refs, git-upload-pack and"
              + " git-receive-pack");
      return;
    }
    GitPath path = parsed.get();
    Optional<PolicyEngine> engine = state.engine();
    Bundle.GitRemote remote = engine.flatMap(e -> find(e.bundle(), path.remote())).orElse(null);
    if (remote == null) {
      // Decided anyway: the audit records the attempt (OutOfScope, or no bundle).
      authorizer.authorizeGate(GitCalls.fetch(path.remote()), false).join();
      reply.error(
          engine.isPresent() ? 404 : 503,
          engine.isPresent()
              ? "Tollgate: no git remote named '"
                  + path.remote()
                  + "' in this agent's ToolScopes (spec.gitRemotes)"
              : "Tollgate: no valid policy bundle is loaded; retry");
      return;
    }
    String method = exchange.getRequestMethod();
    String expected = path.endpoint() == GitPath.Endpoint.INFO_REFS ? "GET" : "POST";
    if (!expected.equals(method)) {
      exchange.getResponseHeaders().set("Allow", expected);
      reply.error(405, "Tollgate: use " + expected + " for " + rawPath);
      return;
    }
    switch (path.endpoint()) {
      case INFO_REFS -> smartHttp.infoRefs(exchange, reply, remote);
      case UPLOAD_PACK -> smartHttp.uploadPack(exchange, reply, remote);
      case RECEIVE_PACK -> smartHttp.receivePack(exchange, reply, remote);
    }
  }

  private static Optional<Bundle.GitRemote> find(Bundle bundle, String name) {
    return bundle.gitRemotes().stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
