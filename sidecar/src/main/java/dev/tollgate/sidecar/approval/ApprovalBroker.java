package dev.tollgate.sidecar.approval;

import dev.tollgate.sidecar.approval.ApprovalStore.ApprovalStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rules of allow-with-approval, apart from HTTP and from Kubernetes: an approval covers one
 * pod, tool and arguments digest, for the approvers the deciding rule names, once, until it
 * expires. Identical calls share one pending approval; a call that waited in vain leaves its
 * approval open, so retrying after a human approved it runs it once.
 */
public final class ApprovalBroker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ApprovalBroker.class.getName());

  /** What a call needing approval brings. */
  public record Request(
      String identity,
      String pod,
      String tool,
      String argsDigest,
      String summary,
      String principal,
      List<String> approvers,
      Duration timeout,
      String correlationId) {}

  private record Key(String pod, String tool, String argsDigest) {}

  private final ApprovalStore store;
  private final Clock clock;
  private final Duration lifetime;
  private final ScheduledExecutorService scheduler;
  // Approvals this sidecar created, until the store's own view has them (a watch lags a create).
  private final Map<Key, List<ApprovalRecord>> created = new ConcurrentHashMap<>();
  private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
  // Uses made here, by approval name, until the store shows them: a retry racing the watch must
  // not use an approval twice. (The store's consume is conditional as well.)
  private final Map<String, String> usedHere = new ConcurrentHashMap<>();

  private record Waiter(String correlationId, CompletableFuture<Claim> result) {}

  /**
   * @param lifetime how long an approval stays decidable after it is asked for (at least the wait),
   *     so a human who answers after the agent gave up still unlocks a retry
   */
  public ApprovalBroker(ApprovalStore store, Clock clock, Duration lifetime) {
    this.store = store;
    this.clock = clock;
    this.lifetime = lifetime;
    this.scheduler =
        Executors.newScheduledThreadPool(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "tollgate-approvals");
              thread.setDaemon(true);
              return thread;
            });
    store.onChange(this::changed);
  }

  /**
   * Where this call stands: granted by an earlier approval (used now), rejected, or pending on an
   * approval it asked for or joined.
   */
  public synchronized Claim claim(Request request) {
    Instant now = clock.instant();
    Key key = new Key(request.pod(), request.tool(), request.argsDigest());
    List<ApprovalRecord> candidates = candidates(key, request, now);
    for (ApprovalRecord approval : candidates) {
      if (approval.state() == ApprovalRecord.State.APPROVED
          && (approval.consumedBy().isEmpty()
              || approval.consumedBy().equals(request.correlationId()))) {
        Claim used = use(approval, request.correlationId());
        if (used instanceof Claim.Granted || used instanceof Claim.Unavailable) {
          return used;
        }
      }
    }
    Optional<ApprovalRecord> rejected =
        candidates.stream().filter(a -> a.state() == ApprovalRecord.State.REJECTED).findFirst();
    if (rejected.isPresent()) {
      return new Claim.Rejected(rejected.get());
    }
    Optional<ApprovalRecord> pending =
        candidates.stream().filter(a -> a.state() == ApprovalRecord.State.PENDING).findFirst();
    if (pending.isPresent()) {
      return new Claim.Pending(pending.get(), false);
    }
    Duration life = request.timeout().compareTo(lifetime) > 0 ? request.timeout() : lifetime;
    try {
      ApprovalRecord approval =
          store.create(
              new NewApproval(
                  request.identity(),
                  request.pod(),
                  request.tool(),
                  request.argsDigest(),
                  request.summary(),
                  request.principal(),
                  request.approvers(),
                  now.plus(life),
                  request.correlationId()));
      created.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(approval);
      return new Claim.Pending(approval, true);
    } catch (ApprovalStoreException e) {
      LOG.log(Level.WARNING, "could not ask for approval of " + request.tool(), e);
      return new Claim.Unavailable(e.getMessage());
    }
  }

  /**
   * Waits for a human to decide a pending approval, at most {@code wait}. Completes with Granted
   * (the approval is used by this call), Rejected, AlreadyUsed, TimedOut or Unavailable; never
   * exceptionally.
   */
  public CompletableFuture<Claim> await(
      ApprovalRecord approval, String correlationId, Duration wait) {
    CompletableFuture<Claim> result = new CompletableFuture<>();
    Waiter waiter = new Waiter(correlationId, result);
    waiters.computeIfAbsent(approval.name(), n -> new CopyOnWriteArrayList<>()).add(waiter);
    // The decision may have arrived between the claim and now.
    latest(approval)
        .filter(a -> a.state() != ApprovalRecord.State.PENDING)
        .ifPresent(this::changed);
    scheduler.schedule(
        () -> {
          if (result.complete(new Claim.TimedOut(approval))) {
            forget(approval.name(), waiter);
          }
        },
        wait.toMillis(),
        TimeUnit.MILLISECONDS);
    return result;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    waiters
        .values()
        .forEach(
            list ->
                list.forEach(
                    w ->
                        w.result()
                            .complete(
                                new Claim.Unavailable("the decision point is shutting down"))));
    store.close();
  }

  private void changed(ApprovalRecord approval) {
    if (approval.state() == ApprovalRecord.State.PENDING) {
      return;
    }
    List<Waiter> waiting = waiters.remove(approval.name());
    if (waiting == null) {
      return;
    }
    // Using an approval is an API call: not on the store's event thread.
    scheduler.execute(
        () -> {
          for (Waiter waiter : waiting) {
            if (waiter.result().isDone()) {
              continue;
            }
            Claim claim =
                approval.state() == ApprovalRecord.State.REJECTED
                    ? new Claim.Rejected(approval)
                    : useNow(approval, waiter.correlationId());
            waiter.result().complete(claim);
          }
        });
  }

  private synchronized Claim useNow(ApprovalRecord approval, String correlationId) {
    ApprovalRecord current = withUseSeenHere(latest(approval).orElse(approval));
    String usedBy = current.consumedBy();
    if (!usedBy.isEmpty() && !usedBy.equals(correlationId)) {
      return new Claim.AlreadyUsed(current);
    }
    return use(current, correlationId);
  }

  private Claim use(ApprovalRecord approval, String correlationId) {
    try {
      if (!store.consume(approval, correlationId)) {
        return new Claim.AlreadyUsed(approval);
      }
      usedHere.put(approval.name(), correlationId);
      return new Claim.Granted(approval.consumed(correlationId));
    } catch (ApprovalStoreException e) {
      LOG.log(Level.WARNING, "could not record the use of approval " + approval.name(), e);
      return new Claim.Unavailable(e.getMessage());
    }
  }

  private List<ApprovalRecord> candidates(Key key, Request request, Instant now) {
    Map<String, ApprovalRecord> byName = new LinkedHashMap<>();
    created.getOrDefault(key, List.of()).forEach(a -> byName.put(a.name(), a));
    // The store's view is newer than what was created here (it has the decisions).
    store.find(key.pod(), key.tool(), key.argsDigest()).forEach(a -> byName.put(a.name(), a));
    byName.replaceAll((name, a) -> withUseSeenHere(a));
    usedHere.keySet().removeIf(name -> byName.containsKey(name) && byName.get(name).expired(now));
    created.computeIfPresent(
        key,
        (k, list) -> {
          list.removeIf(a -> a.expired(now));
          return list.isEmpty() ? null : list;
        });
    List<ApprovalRecord> usable = new ArrayList<>();
    for (ApprovalRecord approval : byName.values()) {
      if (!approval.expired(now)
          && approval.covers(
              request.pod(), request.tool(), request.argsDigest(), request.approvers())) {
        usable.add(approval);
      }
    }
    return usable;
  }

  // A use made here counts before the store's watch reports it.
  private ApprovalRecord withUseSeenHere(ApprovalRecord approval) {
    String usedBy = usedHere.get(approval.name());
    return approval.consumedBy().isEmpty() && usedBy != null ? approval.consumed(usedBy) : approval;
  }

  private Optional<ApprovalRecord> latest(ApprovalRecord approval) {
    return store.find(approval.pod(), approval.tool(), approval.argsDigest()).stream()
        .filter(a -> a.name().equals(approval.name()))
        .findFirst();
  }

  private void forget(String name, Waiter waiter) {
    waiters.computeIfPresent(
        name,
        (n, list) -> {
          list.remove(waiter);
          return list.isEmpty() ? null : list;
        });
  }
}
