package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ToolCallApproval;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@code approvals --watch} prints as the informer sees changes: every approval the listing
 * shows (pending ones, or all with --all) when it appears or changes, and one that was shown when
 * it leaves the listing (decided, expired, deleted), so a watcher sees how it ended. A relist after
 * a lost watch repeats objects unchanged: those are not printed again.
 */
final class ApprovalWatch implements ResourceEventHandler<ToolCallApproval> {

  /** Where events go; called on the informer's one event thread, in order. */
  interface Sink {
    void event(String type, ToolCallApproval approval);
  }

  private final Predicate<ToolCallApproval> listed;
  private final Sink sink;
  // uid -> resourceVersion last printed
  private final Map<String, String> shown = new HashMap<>();

  ApprovalWatch(Predicate<ToolCallApproval> listed, Sink sink) {
    this.listed = listed;
    this.sink = sink;
  }

  @Override
  public void onAdd(ToolCallApproval approval) {
    changed("ADDED", approval);
  }

  @Override
  public void onUpdate(ToolCallApproval before, ToolCallApproval approval) {
    changed("MODIFIED", approval);
  }

  @Override
  public void onDelete(ToolCallApproval approval, boolean finalStateUnknown) {
    if (shown.remove(approval.getMetadata().getUid()) != null || listed.test(approval)) {
      sink.event("DELETED", approval);
    }
  }

  private void changed(String type, ToolCallApproval approval) {
    String uid = approval.getMetadata().getUid();
    String version = approval.getMetadata().getResourceVersion();
    String printed = shown.get(uid);
    if (printed != null && printed.equals(version)) {
      return;
    }
    if (listed.test(approval)) {
      shown.put(uid, version);
      sink.event(printed == null ? "ADDED" : type, approval);
    } else if (printed != null) {
      shown.remove(uid);
      sink.event(type, approval);
    }
  }
}
