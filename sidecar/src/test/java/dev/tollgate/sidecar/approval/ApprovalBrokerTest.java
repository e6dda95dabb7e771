package dev.tollgate.sidecar.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApprovalBrokerTest {

  private static final String DIGEST = "a".repeat(64);
  private static final List<String> APPROVERS = List.of("group:platform-approvers");

  private final InMemoryApprovalStore store = new InMemoryApprovalStore("agents");
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
  private final ApprovalBroker broker = new ApprovalBroker(store, clock, Duration.ofHours(1));

  @AfterEach
  void close() {
    broker.close();
  }

  @Test
  void asksOnceAndAnApprovalWhileWaitingGrantsTheCall() throws Exception {
    Claim claim = broker.claim(request("toolu_1", DIGEST, APPROVERS));
    assertThat(claim).isInstanceOf(Claim.Pending.class);
    ApprovalRecord approval = ((Claim.Pending) claim).approval();
    assertThat(store.asked())
        .singleElement()
        .satisfies(
            asked -> {
              assertThat(asked.tool()).isEqualTo("Bash");
              assertThat(asked.argsDigest()).isEqualTo(DIGEST);
              assertThat(asked.approvers()).isEqualTo(APPROVERS);
              assertThat(asked.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
              assertThat(asked.correlationId()).isEqualTo("toolu_1");
            });

    CompletableFuture<Claim> waiting = broker.await(approval, "toolu_1", Duration.ofSeconds(30));
    assertThat(waiting).isNotDone();
    store.decide(approval.name(), true, "alice", "looks fine");

    Claim outcome = waiting.get(5, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Claim.Granted.class);
    assertThat(((Claim.Granted) outcome).approval().decidedBy()).isEqualTo("alice");
    assertThat(store.get(approval.name()).consumedBy()).isEqualTo("toolu_1");
  }

  @Test
  void identicalCallsShareOnePendingApproval() {
    Claim first = broker.claim(request("toolu_1", DIGEST, APPROVERS));
    Claim second = broker.claim(request("toolu_2", DIGEST, APPROVERS));
    assertThat(second).isInstanceOf(Claim.Pending.class);
    assertThat(((Claim.Pending) second).created()).isFalse();
    assertThat(((Claim.Pending) second).approval().name())
        .isEqualTo(((Claim.Pending) first).approval().name());
    assertThat(store.asked()).hasSize(1);
  }

  @Test
  void anApprovalIsBoundToTheArgumentsDigestAndTheApprovers() {
    broker.claim(request("toolu_1", DIGEST, APPROVERS));
    Claim otherArgs = broker.claim(request("toolu_2", "b".repeat(64), APPROVERS));
    Claim otherApprovers = broker.claim(request("toolu_3", DIGEST, List.of("user:bob")));
    assertThat(((Claim.Pending) otherArgs).created()).isTrue();
    assertThat(((Claim.Pending) otherApprovers).created()).isTrue();
    assertThat(store.asked()).hasSize(3);
  }

  @Test
  void aTimedOutCallLeavesTheApprovalOpenAndARetryAfterApprovalRunsOnce() throws Exception {
    ApprovalRecord approval =
        ((Claim.Pending) broker.claim(request("toolu_1", DIGEST, APPROVERS))).approval();
    Claim waited =
        broker.await(approval, "toolu_1", Duration.ofMillis(50)).get(5, TimeUnit.SECONDS);
    assertThat(waited).isInstanceOf(Claim.TimedOut.class);

    store.decide(approval.name(), true, "alice", "");
    Claim retry = broker.claim(request("toolu_2", DIGEST, APPROVERS));
    assertThat(retry).isInstanceOf(Claim.Granted.class);

    // Used: the next identical call asks again instead of reusing it.
    Claim again = broker.claim(request("toolu_3", DIGEST, APPROVERS));
    assertThat(again).isInstanceOf(Claim.Pending.class);
    assertThat(((Claim.Pending) again).approval().name()).isNotEqualTo(approval.name());
  }

  @Test
  void aRejectionRefusesTheWaiterAndLaterIdenticalCalls() throws Exception {
    ApprovalRecord approval =
        ((Claim.Pending) broker.claim(request("toolu_1", DIGEST, APPROVERS))).approval();
    CompletableFuture<Claim> waiting = broker.await(approval, "toolu_1", Duration.ofSeconds(30));
    store.decide(approval.name(), false, "alice", "not on a Friday");
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(Claim.Rejected.class);
    assertThat(broker.claim(request("toolu_2", DIGEST, APPROVERS)))
        .isInstanceOf(Claim.Rejected.class);
  }

  @Test
  void twoWaitersOnOneApprovalGetOneRun() throws Exception {
    ApprovalRecord approval =
        ((Claim.Pending) broker.claim(request("toolu_1", DIGEST, APPROVERS))).approval();
    broker.claim(request("toolu_2", DIGEST, APPROVERS));
    CompletableFuture<Claim> first = broker.await(approval, "toolu_1", Duration.ofSeconds(30));
    CompletableFuture<Claim> second = broker.await(approval, "toolu_2", Duration.ofSeconds(30));
    store.decide(approval.name(), true, "alice", "");
    List<Claim> outcomes = List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
    assertThat(outcomes).filteredOn(c -> c instanceof Claim.Granted).hasSize(1);
    assertThat(outcomes).filteredOn(c -> c instanceof Claim.AlreadyUsed).hasSize(1);
  }

  @Test
  void aDecisionThatArrivedBeforeTheWaitBeganIsSeen() throws Exception {
    ApprovalRecord approval =
        ((Claim.Pending) broker.claim(request("toolu_1", DIGEST, APPROVERS))).approval();
    store.decide(approval.name(), true, "alice", "");
    assertThat(broker.await(approval, "toolu_1", Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS))
        .isInstanceOf(Claim.Granted.class);
  }

  @Test
  void anUnreachableStoreIsReportedNotThrown() {
    store.failing(true);
    assertThat(broker.claim(request("toolu_1", DIGEST, APPROVERS)))
        .isInstanceOf(Claim.Unavailable.class)
        .extracting(c -> ((Claim.Unavailable) c).why())
        .asString()
        .contains("unreachable");
  }

  @Test
  void expiredApprovalsCoverNothing() {
    Clock later = Clock.offset(clock, Duration.ofHours(2));
    ApprovalBroker afterExpiry = new ApprovalBroker(store, later, Duration.ofHours(1));
    ApprovalRecord approval =
        ((Claim.Pending) broker.claim(request("toolu_1", DIGEST, APPROVERS))).approval();
    store.decide(approval.name(), true, "alice", "");
    Claim claim = afterExpiry.claim(request("toolu_2", DIGEST, APPROVERS));
    afterExpiry.close();
    assertThat(claim).isInstanceOf(Claim.Pending.class);
    assertThat(((Claim.Pending) claim).approval().name()).isNotEqualTo(approval.name());
  }

  private static ApprovalBroker.Request request(
      String correlationId, String digest, List<String> approvers) {
    return new ApprovalBroker.Request(
        "repo-coder",
        "agent-7",
        "Bash",
        digest,
        "Bash: git push origin main",
        "user:alice",
        approvers,
        Duration.ofSeconds(30),
        correlationId);
  }
}
