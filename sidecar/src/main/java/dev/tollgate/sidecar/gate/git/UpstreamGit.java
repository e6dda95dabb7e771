package dev.tollgate.sidecar.gate.git;

import dev.tollgate.engine.bundle.Bundle;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
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

  /** The upstream's answer for one ref of a push; the message says why when it was refused. */
  record Pushed(String ref, RemoteRefUpdate.Status status, String message) {}

  /**
   * Sends the changes upstream in one push and returns the upstream's status for each, by ref. Each
   * carries its expected old id: the upstream refuses a ref that moved meanwhile. An atomic push
   * asks the upstream to take all of them or none.
   *
   * <p>Over HTTP(S), when the push left one pack in its quarantine (or none), that pack goes
   * upstream as it is ({@link UpstreamReceivePack}); otherwise (several packs, loose objects,
   * another protocol) JGit's transport packs the objects anew.
   *
   * @param quarantine where the pushed objects are (it sees the mirror's too)
   * @throws IOException when the quarantine cannot be read
   */
  Map<String, Pushed> push(
      PushQuarantine quarantine, Bundle.GitRemote remote, List<RefChange> changes, boolean atomic)
      throws UpstreamGitException, IOException {
    String token = token(remote);
    List<Path> packs = quarantine.packs();
    if (UpstreamReceivePack.speaks(remote.url()) && packs.size() <= 1 && !quarantine.hasLoose()) {
      String authorization =
          token == null
              ? null
              : "Basic "
                  + Base64.getEncoder()
                      .encodeToString((TOKEN_USER + ":" + token).getBytes(StandardCharsets.UTF_8));
      UpstreamReceivePack receivePack =
          new UpstreamReceivePack(
              remote.url(), authorization, tls.socketFactory(remote), settings.upstreamTimeout());
      List<UpstreamReceivePack.Command> commands =
          changes.stream()
              .map(c -> new UpstreamReceivePack.Command(c.ref(), c.oldId(), c.newId()))
              .toList();
      Map<String, Pushed> pushed = new HashMap<>();
      receivePack
          .push(commands, packs.isEmpty() ? null : packs.get(0), atomic)
          .forEach((ref, r) -> pushed.put(ref, new Pushed(ref, r.status(), r.message())));
      return pushed;
    }
    return transportPush(quarantine.repository(), remote, token, changes, atomic);
  }

  private Map<String, Pushed> transportPush(
      Repository repository,
      Bundle.GitRemote remote,
      String token,
      List<RefChange> changes,
      boolean atomic)
      throws UpstreamGitException {
    try (Transport transport = Transport.open(repository, new URIish(remote.url()))) {
      List<RemoteRefUpdate> updates = new ArrayList<>();
      for (RefChange change : changes) {
        // Force only where the policy allowed a force; every update is compare-and-swap on the old
        // id (create: the ref must not exist), as --force-with-lease.
        updates.add(
            new RemoteRefUpdate(
                repository,
                null,
                change.isDelete() ? ObjectId.zeroId() : change.newId(),
                change.ref(),
                RefChange.FORCE.equals(change.kind()),
                null,
                change.oldId()));
      }
      tls.forRemote(remote).accept(transport);
      transport.setPushAtomic(atomic);
      transport.setCredentialsProvider(credentials(token));
      transport.setTimeout(settings.timeoutSeconds());
      transport.setPackConfig(forwardPackConfig(repository));
      Map<String, Pushed> pushed = new HashMap<>();
      for (RemoteRefUpdate u :
          transport.push(NullProgressMonitor.INSTANCE, updates).getRemoteUpdates()) {
        pushed.put(u.getRemoteName(), new Pushed(u.getRemoteName(), u.getStatus(), u.getMessage()));
      }
      return pushed;
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
    return credentials(token(remote));
  }

  private static CredentialsProvider credentials(String token) {
    return token == null ? null : new UsernamePasswordCredentialsProvider(TOKEN_USER, token);
  }

  /** The remote's token, read anew for each request (a rotated Secret applies at once). */
  private String token(Bundle.GitRemote remote) throws UpstreamGitException {
    if (remote.credentialsSecretRef() == null) {
      return null;
    }
    Path file = settings.credentialsDir().resolve(remote.name()).resolve("token");
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IOException("the file is empty");
      }
      return token;
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
