package dev.tollgate.sidecar.gate.git;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.decision.Decision;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.sidecar.core.ToolCall;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceiveCommand.Result;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Decides a push once its objects are in its quarantine and before any ref moves anywhere: computes
 * what each command changes against the upstream's history (the quarantine sees the mirror's
 * objects too), decides {@code GitPush} (held while a human decides an approval), and forwards an
 * allowed push upstream with the expected old ids. It sets every command's result itself, so the
 * receive never moves a ref on its own: the mirror's objects and refs follow only what landed
 * upstream.
 *
 * <p>An atomic push ({@code git push --atomic}) is all or nothing here as upstream: one stale
 * command refuses them all, and the upstream push is atomic too.
 */
final class PushJudge implements PreReceiveHook {

  private static final Logger LOG = Logger.getLogger(PushJudge.class.getName());

  private final Bundle.GitRemote remote;
  private final MirrorStore.Mirror mirror;
  private final PushQuarantine quarantine;
  private final UpstreamGit upstream;
  private final ToolCallAuthorizer authorizer;

  PushJudge(
      Bundle.GitRemote remote,
      MirrorStore.Mirror mirror,
      PushQuarantine quarantine,
      UpstreamGit upstream,
      ToolCallAuthorizer authorizer) {
    this.remote = remote;
    this.mirror = mirror;
    this.quarantine = quarantine;
    this.upstream = upstream;
    this.authorizer = authorizer;
  }

  @Override
  public void onPreReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
    boolean atomic = pack.isAtomic();
    List<ReceiveCommand> pending = new ArrayList<>();
    List<RefChange> changes = new ArrayList<>();
    try (RevWalk walk = new RevWalk(quarantine.repository())) {
      for (ReceiveCommand command : commands) {
        String stale = staleness(mirror.repository(), command);
        if (stale != null) {
          command.setResult(Result.REJECTED_OTHER_REASON, stale);
          continue;
        }
        changes.add(RefChange.of(command, walk));
        pending.add(command);
      }
    } catch (IOException e) {
      reject(commands, "Tollgate: the pushed objects cannot be read: " + e.getMessage());
      return;
    }
    if (pending.isEmpty()) {
      return;
    }
    if (atomic && pending.size() < commands.size()) {
      reject(pending, "Tollgate: atomic push refused, another ref in it is stale");
      return;
    }
    ToolCall call = GitCalls.push(remote.name(), changes);
    Decision decision = authorizer.authorizeGate(call, true).join();
    if (decision.outcome() != Outcome.ALLOW) {
      reject(pending, "Tollgate: " + decision.summary());
      return;
    }
    forward(call, pending, changes, atomic);
  }

  /**
   * The client's old id must be what the mirror, just fetched from the upstream, holds: a client
   * whose view is stale would otherwise have its update judged against history it never saw.
   */
  private static String staleness(Repository repository, ReceiveCommand command) {
    try {
      Ref current = repository.exactRef(command.getRefName());
      ObjectId now = current == null ? ObjectId.zeroId() : current.getObjectId();
      if (now.equals(command.getOldId())) {
        return null;
      }
      return "Tollgate: the upstream's "
          + command.getRefName()
          + " is "
          + (current == null ? "absent" : now.name())
          + ", not "
          + command.getOldId().name()
          + " as your client believes; fetch and retry";
    } catch (IOException e) {
      return "Tollgate: the mirror cannot be read: " + e.getMessage();
    }
  }

  private void forward(
      ToolCall call, List<ReceiveCommand> pending, List<RefChange> changes, boolean atomic) {
    boolean failed = false;
    StringBuilder outcome = new StringBuilder();
    mirror.lock().lock();
    try {
      Map<String, UpstreamGit.Pushed> landed = upstream.push(quarantine, remote, changes, atomic);
      boolean mirrored = landed.values().stream().anyMatch(PushJudge::landed) && migrate();
      for (int i = 0; i < pending.size(); i++) {
        RefChange change = changes.get(i);
        String problem = relay(pending.get(i), change, landed.get(change.ref()), mirrored);
        if (problem != null) {
          failed = true;
          outcome.append(problem).append("; ");
        }
      }
    } catch (UpstreamGitException | IOException e) {
      failed = true;
      String message = "Tollgate: upstream unreachable: " + e.getMessage();
      outcome.append(message);
      reject(pending, message);
    } finally {
      mirror.lock().unlock();
    }
    authorizer.recordOutcome(
        call, failed, failed ? TextNode.valueOf(outcome.toString().strip()) : null);
  }

  /**
   * Moves the landed push's objects into the mirror, before any mirror ref moves: a ref must never
   * name objects the mirror does not hold. On failure the mirror's refs stay where they are; the
   * next fetch from the upstream brings both.
   */
  private boolean migrate() {
    try {
      quarantine.migrate(mirror.repository());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "a landed push's objects were not moved into the mirror", e);
      return false;
    }
  }

  private static boolean landed(UpstreamGit.Pushed update) {
    return update.status() == RemoteRefUpdate.Status.OK
        || update.status() == RemoteRefUpdate.Status.UP_TO_DATE;
  }

  /** Gives the client the upstream's answer for one ref; returns a problem, or null when landed. */
  private String relay(
      ReceiveCommand command, RefChange change, UpstreamGit.Pushed result, boolean mirrored) {
    if (result == null) {
      String problem = "Tollgate: the upstream did not report on " + change.ref();
      command.setResult(Result.REJECTED_OTHER_REASON, problem);
      return problem;
    }
    switch (result.status()) {
      case OK, UP_TO_DATE -> {
        if (mirrored) {
          follow(change);
        }
        command.setResult(Result.OK);
        return null;
      }
      case REJECTED_REMOTE_CHANGED -> {
        String problem =
            "Tollgate: the upstream's "
                + change.ref()
                + " moved meanwhile (expected "
                + change.oldId().name()
                + "); nothing was overwritten, fetch and retry";
        command.setResult(Result.REJECTED_OTHER_REASON, problem);
        return problem;
      }
      default -> {
        String message = result.message() == null ? "" : ": " + result.message();
        String problem = "upstream refused " + change.ref() + " (" + result.status() + message;
        command.setResult(Result.REJECTED_OTHER_REASON, "Tollgate: " + problem + ")");
        return problem + ")";
      }
    }
  }

  /** Moves the mirror's ref to what landed upstream (under the mirror's lock). */
  private void follow(RefChange change) {
    try {
      RefUpdate update = mirror.repository().updateRef(change.ref());
      update.setForceUpdate(true);
      if (change.isDelete()) {
        update.delete();
      } else {
        update.setNewObjectId(change.newId());
        update.update();
      }
    } catch (IOException e) {
      // The next fetch from the upstream repairs the mirror; the push itself landed.
      LOG.log(Level.WARNING, "mirror ref " + change.ref() + " not moved", e);
    }
  }

  private static void reject(Collection<ReceiveCommand> commands, String message) {
    for (ReceiveCommand command : commands) {
      if (command.getResult() == Result.NOT_ATTEMPTED) {
        command.setResult(Result.REJECTED_OTHER_REASON, message);
      }
    }
  }
}
