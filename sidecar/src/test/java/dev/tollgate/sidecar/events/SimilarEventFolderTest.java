package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimilarEventFolderTest {

  private final Instant t0 = TestEvents.TIME;
  private final SimilarEventFolder folder = new SimilarEventFolder();

  @Test
  void firstOfAKindIsPublishedAndRepeatsAreFoldedUntilTheWindowEnds() {
    AuditEvent denial = TestEvents.denial("Bash", "no-curl");
    assertThat(folder.offer(denial, t0)).containsExactly(Publication.single(denial));
    AuditEvent last = TestEvents.denial("Bash", "no-curl");
    for (int i = 1; i < 499; i++) {
      assertThat(folder.offer(TestEvents.denial("Bash", "no-curl"), t0.plusMillis(i))).isEmpty();
    }
    assertThat(folder.offer(last, t0.plusSeconds(59))).isEmpty();

    assertThat(folder.expire(t0.plusSeconds(59))).isEmpty();
    assertThat(folder.expire(t0.plus(SimilarEventFolder.WINDOW)))
        .containsExactly(new Publication(last, 499));
    assertThat(folder.expire(t0.plusSeconds(600))).isEmpty();
  }

  @Test
  void aRepeatAfterTheWindowOpensANewOneAfterTheSummary() {
    AuditEvent first = TestEvents.denial("Bash", "no-curl");
    AuditEvent repeat = TestEvents.denial("Bash", "no-curl");
    AuditEvent later = TestEvents.denial("Bash", "no-curl");
    folder.offer(first, t0);
    folder.offer(repeat, t0.plusSeconds(1));

    assertThat(folder.offer(later, t0.plusSeconds(61)))
        .containsExactly(new Publication(repeat, 1), Publication.single(later));
  }

  @Test
  void aWindowWithoutRepeatsEndsWithoutASummary() {
    folder.offer(TestEvents.denial("Bash", "no-curl"), t0);
    assertThat(folder.expire(t0.plusSeconds(61))).isEmpty();
    assertThat(folder.endAll()).isEmpty();
  }

  @Test
  void toolReasonsAndRulesTellKindsApart() {
    assertThat(folder.offer(TestEvents.denial("Bash", "no-curl"), t0)).hasSize(1);
    assertThat(folder.offer(TestEvents.denial("Bash", "no-wget"), t0)).hasSize(1);
    assertThat(folder.offer(TestEvents.denial("WebFetch", "no-curl"), t0)).hasSize(1);
    assertThat(folder.offer(TestEvents.denial("Bash", "no-wget"), t0)).isEmpty();
  }

  @Test
  void tooManyKindsEndTheOldestWindowEarly() {
    SimilarEventFolder small = new SimilarEventFolder(Duration.ofSeconds(60), 2);
    AuditEvent a = TestEvents.denial("a", "r");
    AuditEvent aRepeat = TestEvents.denial("a", "r");
    small.offer(a, t0);
    small.offer(aRepeat, t0);
    small.offer(TestEvents.denial("b", "r"), t0);
    AuditEvent c = TestEvents.denial("c", "r");

    assertThat(small.offer(c, t0))
        .containsExactly(new Publication(aRepeat, 1), Publication.single(c));
  }

  @Test
  void endAllSummarizesEveryOpenWindow() {
    AuditEvent a = TestEvents.denial("a", "r");
    AuditEvent b = TestEvents.denial("b", "r");
    folder.offer(a, t0);
    folder.offer(a, t0);
    folder.offer(a, t0);
    folder.offer(b, t0);
    folder.offer(b, t0);

    assertThat(folder.endAll()).containsExactly(new Publication(a, 2), new Publication(b, 1));
    assertThat(folder.endAll()).isEmpty();
  }
}
