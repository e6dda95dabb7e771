package dev.tollgate.sidecar.gate.git;

import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Consumer;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The sidecar's side of the upstream repository: fetches it into the mirror and pushes decided
 * updates to it, with the credential only the sidecar holds and a bounded timeout. The agent's
 * request (its headers, its Authorization) never reaches the upstream: these are JGit's own
 * requests.
 */
final class UpstreamGit {

  /**
   * GitHub, GitLab and Gitea all take a token as the HTTP Basic password; GitHub documents this
   * user name for it, the others ignore the user name.
   */
  static final String TOKEN_USER = "x-access-token";

  private static final RefSpec HEADS = new RefSpec("+refs/heads/*:refs/heads/*");
  private static final RefSpec TAGS = new RefSpec("+refs/tags/*:refs/tags/*");

  private final GitSettings settings;
  private final UpstreamTls tls = new UpstreamTls();

  UpstreamGit(GitSettings settings) {
    this.settings = settings;
  }

  /**
   * Makes the mirror's branches and tags the upstream's (deleted ones pruned), and its HEAD point
   * where the upstream's does, so a clone checks out the upstream's default branch.
   */
  void refresh(Repository mirror, Bundle.GitRemote remote) throws UpstreamGitException {
    CredentialsProvider credentials = credentials(remote);
    Consumer<Transport> trust = tls.forRemote(remote);
    try (Git git = Git.wrap(mirror)) {
      FetchCommand fetch =
          git.fetch()
              .setRemote(remote.url())
              .setRefSpecs(HEADS, TAGS)
              .setTagOpt(TagOpt.NO_TAGS)
              .setRemoveDeletedRefs(true)
              .setTimeout(settings.timeoutSeconds())
              .setCredentialsProvider(credentials)
              .setTransportConfigCallback(trust::accept);
      FetchResult result = fetch.call();
      Ref head = result.getAdvertisedRef(Constants.HEAD);
      if (head != null && head.isSymbolic()) {
        RefUpdate link = mirror.updateRef(Constants.HEAD);
        link.link(head.getTarget().getName());
      }
    } catch (GitAPIException | JGitInternalException | IOException e) {
      throw new UpstreamGitException(describe(e), e);
    }
  }

  /**
   * Sends the updates upstream in one push and returns them with the upstream's status for each.
   * Each carries its expected old id: the upstream refuses a ref that moved meanwhile. An atomic
   * push asks the upstream to take all of them or none.
   *
   * @param repository where the pushed objects are (a push's quarantine, which sees the mirror's)
   */
  Collection<RemoteRefUpdate> push(
      Repository repository,
      Bundle.GitRemote remote,
      Collection<RemoteRefUpdate> updates,
      boolean atomic)
      throws UpstreamGitException {
    try (Transport transport = Transport.open(repository, new URIish(remote.url()))) {
      tls.forRemote(remote).accept(transport);
      transport.setPushAtomic(atomic);
      transport.setCredentialsProvider(credentials(remote));
      transport.setTimeout(settings.timeoutSeconds());
      transport.setPackConfig(forwardPackConfig(repository));
      return transport.push(NullProgressMonitor.INSTANCE, updates).getRemoteUpdates();
    } catch (URISyntaxException | IOException e) {
      throw new UpstreamGitException(describe(e), e);
    }
  }

  /**
   * The objects of a push go upstream as the agent's git packed them: its deltas are reused, and no
   * new delta search is made. The client already chose its compression; searching again costs the
   * gateway most of a push's time (on incompressible content all of it) for a pack that is at best
   * a little smaller.
   */
  private static PackConfig forwardPackConfig(Repository repository) {
    PackConfig config = new PackConfig(repository);
    config.setDeltaCompress(false);
    config.setReuseDeltas(true);
    config.setReuseObjects(true);
    return config;
  }

  private CredentialsProvider credentials(Bundle.GitRemote remote) throws UpstreamGitException {
    if (remote.credentialsSecretRef() == null) {
      return null;
    }
    Path file = settings.credentialsDir().resolve(remote.name()).resolve("token");
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IOException("the file is empty");
      }
      return new UsernamePasswordCredentialsProvider(TOKEN_USER, token);
    } catch (IOException e) {
      throw new UpstreamGitException(
          "the credential of remote "
              + remote.name()
              + " is not readable at "
              + file
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * JGit's messages name the URL and the failure; the causes add what the network said (for TLS,
   * the deepest one says which certificate check failed).
   */
  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += ": " + cause.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getMessage() + ")";
    }
    return message.replaceAll("[\\r\\n]+", " ");
  }
}
