package dev.tollgate.sidecar.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventNoteTest {

  @Test
  void summarizesToolOutcomeReasonsRulesMessageAndCorrelation() {
    var args =
        JsonNodeFactory.instance.objectNode().put("file_path", "/home/agent/.ssh/id_ed25519");
    String note =
        EventNote.of(
            Publication.single(
                TestEvents.event(
                    AuditEventType.DENIED,
                    "Read",
                    List.of("PathDenied", "RuleDenied"),
                    List.of("no-ssh-keys", "no-dotfiles"),
                    args,
                    "reading SSH keys is denied")));

    assertThat(note)
        .isEqualTo(
            "tool Read denied; reasons PathDenied, RuleDenied; rules no-ssh-keys, no-dotfiles:"
                + " reading SSH keys is denied [correlationId toolu_01]");
    assertThat(note).doesNotContain("id_ed25519");
  }

  @Test
  void saysHowManySimilarOnesItStandsFor() {
    String note = EventNote.of(new Publication(TestEvents.denial("Bash", "no-curl"), 42));
    assertThat(note).startsWith("(42 similar in the last minute) tool Bash denied;");
  }

  @Test
  void approvalEventsSayWhatHappened() {
    assertThat(
            EventNote.of(
                Publication.single(
                    TestEvents.event(
                        AuditEventType.APPROVAL_REQUESTED,
                        "Bash",
                        List.of(),
                        List.of("prod-deploy"),
                        null,
                        ""))))
        .isEqualTo("tool Bash needs approval; rules prod-deploy [correlationId toolu_01]");
  }

  @Test
  void controlCharactersBecomeSpaces() {
    String note =
        EventNote.of(
            Publication.single(
                TestEvents.event(
                    AuditEventType.DENIED,
                    "Bash",
                    List.of(),
                    List.of(),
                    null,
                    "line one\nline two\ttab")));
    assertThat(note).contains("line one line two tab").doesNotContain("\n");
  }

  @Test
  void aShortTextIsLeftAlone() {
    assertThat(EventNote.truncate("déjà vu 😀", 1024)).isEqualTo("déjà vu 😀");
    assertThat(EventNote.truncate("x".repeat(1024), 1024)).isEqualTo("x".repeat(1024));
  }

  @ParameterizedTest
  @ValueSource(strings = {"é", "語", "😀", "a😀語é"})
  void aLongTextIsCutByBytesNeverInsideACharacter(String unit) {
    String text = unit.repeat(2_000);
    for (int max = 1_000; max <= 1_024; max++) {
      String cut = EventNote.truncate(text, max);
      byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
      assertThat(bytes.length).isLessThanOrEqualTo(max).isGreaterThan(max - 8);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(cut);
      assertThat(cut).endsWith("…");
      assertThat(text).startsWith(cut.substring(0, cut.length() - 1));
      assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }
  }

  @Test
  void aLongNoteIsAtMostOneKilobyte() {
    String note =
        EventNote.of(
            Publication.single(
                TestEvents.event(
                    AuditEventType.DENIED,
                    "Bash",
                    List.of("RuleDenied"),
                    List.of("r"),
                    null,
                    "ß".repeat(5_000))));
    assertThat(note.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(EventNote.MAX_BYTES);
  }
}
