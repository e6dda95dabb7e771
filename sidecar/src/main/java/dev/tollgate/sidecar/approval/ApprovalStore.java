package dev.tollgate.sidecar.approval;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where approvals live (ToolCallApproval resources in the pod's namespace). The broker keeps the
 * rules; a store only creates, finds, marks and reports changes.
 */
public interface ApprovalStore extends AutoCloseable {

  /** Creates the approval and returns it as stored. */
  ApprovalRecord create(NewApproval approval) throws ApprovalStoreException;

  /** Approvals of this pod for this tool and arguments digest, as last seen. */
  List<ApprovalRecord> find(String pod, String tool, String argsDigest);

  /**
   * Marks the approval as used by this call, so it allows no other, also after a restart of the
   * sidecar. Returns false when another call had already used it.
   */
  boolean consume(ApprovalRecord approval, String correlationId) throws ApprovalStoreException;

  /** Told of every approval that is created or changes (a decision arriving). */
  void onChange(Consumer<ApprovalRecord> listener);

  @Override
  void close();

  /** The store could not do what was asked; the held call is denied. */
  final class ApprovalStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApprovalStoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
