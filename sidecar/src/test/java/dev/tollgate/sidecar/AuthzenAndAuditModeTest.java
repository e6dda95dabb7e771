package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthzenAndAuditModeTest {

  @TempDir Path dir;

  private static String evaluation(String tool, String properties) {
    return """
        {"subject": {"type": "agent", "id": "team-a/coder"},
         "action": {"name": "%s", "properties": %s},
         "resource": {"type": "tool", "id": "%s"},
         "context": {"cwd": "/workspace", "correlation_id": "req-%s"}}
        """
        .formatted(tool, properties, tool, tool);
  }

  @Test
  void authzenCannotAskForAToolOnlyAGateDecides() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Audit")) {
      JsonNode answer =
          sidecar.postJson(
              "/access/v1/evaluation",
              evaluation("Egress", "{\"host\": \"example.com\", \"port\": 443}"));
      // Refused even in Audit mode: this is a bad request, not a policy decision.
      assertThat(answer.path("decision").asBoolean()).isFalse();
      assertThat(answer.at("/context/reasons/0").asText()).isEqualTo("BadRequest");
    }
  }

  @Test
  void authzenEvaluationAnswersTheBooleanAndTheThreeValuedDecision() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Enforce")) {
      JsonNode allow =
          sidecar.postJson(
              "/access/v1/evaluation", evaluation("Read", "{\"file_path\": \"/workspace/a\"}"));
      assertThat(allow.path("decision").asBoolean()).isTrue();
      assertThat(allow.at("/context/decision").asText()).isEqualTo("allow");
      assertThat(allow.at("/context/rules/0").asText()).isEqualTo("team-a/coding/read");
      assertThat(allow.at("/context/bundleRevision").asText()).hasSize(16);

      JsonNode deny =
          sidecar.postJson(
              "/access/v1/evaluation", evaluation("Bash", "{\"command\": \"rm -rf /\"}"));
      assertThat(deny.path("decision").asBoolean()).isFalse();
      assertThat(deny.at("/context/reasons/0").asText()).isEqualTo("RuleDenied");
      assertThat(deny.at("/context/reason_user/en").asText()).contains("rm is not allowed");

      assertThat(sidecar.eventsFor("req-Bash"))
          .extracting(AuditEvent::source)
          .containsOnly("authzen");
    }
  }

  @Test
  void authzenRefusesBrokenRequestsAndOtherSubjects() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Enforce")) {
      HttpResponse<String> other =
          sidecar.post(
              "/access/v1/evaluation",
              evaluation("Read", "{\"file_path\": \"/workspace/a\"}")
                  .replace("team-a/coder", "team-a/admin-bot"));
      assertThat(other.statusCode()).isEqualTo(400);
      assertThat(other.body())
          .contains("\"decision\":false")
          .contains("not the identity this decision point serves");

      HttpResponse<String> noAction =
          sidecar.post("/access/v1/evaluation", "{\"subject\":{},\"resource\":{},\"action\":{}}");
      assertThat(noAction.statusCode()).isEqualTo(400);
      assertThat(noAction.body()).contains("action.name");

      HttpResponse<String> noSubject =
          sidecar.post("/access/v1/evaluation", "{\"action\":{\"name\":\"Read\"},\"resource\":{}}");
      assertThat(noSubject.statusCode()).isEqualTo(400);
      assertThat(noSubject.body()).contains("\"decision\":false").contains("BadRequest");

      assertThat(sidecar.post("/access/v1/evaluation", "not json").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void authzenBatchHonoursTheEvaluationSemantics() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Enforce")) {
      String batch =
          """
          {"subject": {"type": "agent", "id": "coder"}, "resource": {"type": "tool", "id": "x"},
           "context": {"cwd": "/workspace"},
           "evaluations": [
             {"action": {"name": "Read", "properties": {"file_path": "/workspace/a"}}},
             {"action": {"name": "Bash", "properties": {"command": "rm -rf /"}}},
             {"action": {"name": "Bash", "properties": {"command": "ls"}}}
           ]SEMANTIC}
          """;
      JsonNode all = sidecar.postJson("/access/v1/evaluations", batch.replace("SEMANTIC", ""));
      assertThat(all.path("evaluations"))
          .extracting(e -> e.path("decision").asBoolean())
          .containsExactly(true, false, true);

      JsonNode firstDeny =
          sidecar.postJson(
              "/access/v1/evaluations",
              batch.replace(
                  "SEMANTIC", ", \"options\": {\"evaluations_semantic\": \"deny_on_first_deny\"}"));
      assertThat(firstDeny.path("evaluations"))
          .extracting(e -> e.path("decision").asBoolean())
          .containsExactly(true, false);

      JsonNode firstPermit =
          sidecar.postJson(
              "/access/v1/evaluations",
              batch.replace(
                  "SEMANTIC",
                  ", \"options\": {\"evaluations_semantic\": \"permit_on_first_permit\"}"));
      assertThat(firstPermit.path("evaluations")).hasSize(1);

      HttpResponse<String> unknown =
          sidecar.post(
              "/access/v1/evaluations",
              batch.replace(
                  "SEMANTIC", ", \"options\": {\"evaluations_semantic\": \"best_effort\"}"));
      assertThat(unknown.statusCode()).isEqualTo(400);

      JsonNode single =
          sidecar.postJson(
              "/access/v1/evaluations", evaluation("Read", "{\"file_path\": \"/workspace/a\"}"));
      assertThat(single.path("decision").asBoolean())
          .as("no evaluations array: one evaluation")
          .isTrue();
    }
  }

  @Test
  void auditModeLetsCallsThroughAndKeepsTheWouldBeDecisionApart() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Audit")) {
      JsonNode answer =
          sidecar.postJson(
              "/v1/hooks/claude-code",
              SidecarFixture.preToolUse("Bash", "{\"command\":\"rm -rf /workspace\"}", "audit-1"));

      assertThat(answer.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("allow");
      assertThat(answer.at("/hookSpecificOutput/permissionDecisionReason").asText())
          .startsWith("Tollgate: audit mode, would deny: rm is not allowed");
      AuditEvent decided = sidecar.eventsFor("audit-1").get(1);
      assertThat(decided.type()).isEqualTo(AuditEventType.ALLOWED);
      assertThat(decided.decision()).isEqualTo("allow");
      assertThat(decided.wouldDecide()).as("the deny is kept, never rewritten").isEqualTo("deny");
      assertThat(decided.reasons()).containsExactly("RuleDenied");
      assertThat(decided.rules()).containsExactly("team-a/coding/no-rm");

      JsonNode authzen =
          sidecar.postJson("/access/v1/evaluation", evaluation("Bash", "{\"command\": \"rm x\"}"));
      assertThat(authzen.path("decision").asBoolean()).isTrue();
      assertThat(authzen.at("/context/wouldDecide").asText()).isEqualTo("deny");
    }
  }

  @Test
  void auditModeStillDeniesUnreadableRequests() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Audit")) {
      JsonNode answer =
          sidecar.postJson("/v1/hooks/claude-code", "{\"hook_event_name\":\"PreToolUse\"}");
      assertThat(answer.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("deny");
    }
  }
}
