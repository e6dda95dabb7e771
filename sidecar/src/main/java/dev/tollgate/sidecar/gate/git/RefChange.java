package dev.tollgate.sidecar.gate.git;

import java.io.IOException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * One ref a push moves, as policies see it ({@code resource.updates[]}): the kind is computed from
 * the objects and the upstream's history in the mirror, never from how the command was spelled.
 *
 * @param ref the full ref name
 * @param kind {@code create}, {@code fastForward}, {@code force} or {@code delete}
 * @param oldId what the ref is (the zero id when it does not exist)
 * @param newId what the ref becomes (the zero id for a delete)
 */
record RefChange(String ref, String kind, ObjectId oldId, ObjectId newId) {

  static final String CREATE = "create";
  static final String FAST_FORWARD = "fastForward";
  static final String FORCE = "force";
  static final String DELETE = "delete";

  /**
   * The change a command asks for. A move is a fast-forward only when both ends are commits and the
   * old one is an ancestor of the new one; anything else (a rewritten branch, a tag moved, a commit
   * replaced by a tree) loses what the old id held, so it is a force.
   *
   * @param walk a walk over the push's quarantine, which holds the pushed objects and sees the
   *     mirror's (the upstream's history)
   */
  static RefChange of(ReceiveCommand command, RevWalk walk) throws IOException {
    ObjectId oldId = command.getOldId();
    ObjectId newId = command.getNewId();
    String ref = command.getRefName();
    if (isZero(oldId)) {
      return new RefChange(ref, CREATE, ObjectId.zeroId(), newId);
    }
    if (isZero(newId)) {
      return new RefChange(ref, DELETE, oldId, ObjectId.zeroId());
    }
    RevObject before = walk.parseAny(oldId);
    RevObject after = walk.parseAny(newId);
    boolean fastForward =
        before instanceof RevCommit oldCommit
            && after instanceof RevCommit newCommit
            && walk.isMergedInto(oldCommit, newCommit);
    return new RefChange(ref, fastForward ? FAST_FORWARD : FORCE, oldId, newId);
  }

  boolean isDelete() {
    return DELETE.equals(kind);
  }

  private static boolean isZero(AnyObjectId id) {
    return id == null || ObjectId.zeroId().equals(id);
  }
}
