package dev.tollgate.sidecar.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A store in memory, where the test plays the human (and the webhook's stamp). */
public final class InMemoryApprovalStore implements ApprovalStore {

  private final Map<String, ApprovalRecord> approvals = new ConcurrentHashMap<>();
  private final List<NewApproval> asked = new CopyOnWriteArrayList<>();
  private final List<Consumer<ApprovalRecord>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger names = new AtomicInteger();
  private final String namespace;
  private volatile boolean failing;

  public InMemoryApprovalStore(String namespace) {
    this.namespace = namespace;
  }

  @Override
  public synchronized ApprovalRecord create(NewApproval approval) throws ApprovalStoreException {
    if (failing) {
      throw new ApprovalStoreException("the API server is unreachable", null);
    }
    asked.add(approval);
    ApprovalRecord record =
        new ApprovalRecord(
            namespace + "/approval-" + names.incrementAndGet(),
            approval.pod(),
            approval.tool(),
            approval.argsDigest(),
            approval.approvers(),
            approval.expiresAt(),
            ApprovalRecord.State.PENDING,
            "",
            "",
            "");
    approvals.put(record.name(), record);
    return record;
  }

  @Override
  public List<ApprovalRecord> find(String pod, String tool, String argsDigest) {
    List<ApprovalRecord> found = new ArrayList<>();
    approvals.values().stream()
        .filter(
            a -> a.pod().equals(pod) && a.tool().equals(tool) && a.argsDigest().equals(argsDigest))
        .forEach(found::add);
    return found;
  }

  @Override
  public synchronized boolean consume(ApprovalRecord approval, String correlationId)
      throws ApprovalStoreException {
    if (failing) {
      throw new ApprovalStoreException("the API server is unreachable", null);
    }
    ApprovalRecord current = approvals.get(approval.name());
    if (current == null) {
      return false;
    }
    if (!current.consumedBy().isEmpty()) {
      return current.consumedBy().equals(correlationId);
    }
    approvals.put(current.name(), current.consumed(correlationId));
    return true;
  }

  @Override
  public void onChange(Consumer<ApprovalRecord> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {}

  /** A human decides (the webhook has stamped who). */
  public void decide(String name, boolean approve, String who, String reason) {
    ApprovalRecord current;
    synchronized (this) {
      current = approvals.get(name);
      current =
          new ApprovalRecord(
              current.name(),
              current.pod(),
              current.tool(),
              current.argsDigest(),
              current.approvers(),
              current.expiresAt(),
              approve ? ApprovalRecord.State.APPROVED : ApprovalRecord.State.REJECTED,
              who,
              reason,
              current.consumedBy());
      approvals.put(name, current);
    }
    ApprovalRecord decided = current;
    listeners.forEach(l -> l.accept(decided));
  }

  /** What the sidecar asked for, in order. */
  public List<NewApproval> asked() {
    return asked;
  }

  public ApprovalRecord get(String name) {
    return approvals.get(name);
  }

  public void failing(boolean failing) {
    this.failing = failing;
  }
}
