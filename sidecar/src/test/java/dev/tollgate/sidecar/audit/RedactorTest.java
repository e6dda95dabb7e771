package dev.tollgate.sidecar.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {

  private final Redactor redactor = new Redactor();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bearer header         | curl -H 'Authorization: Bearer abc.def.ghi' https://x         | abc.def.ghi",
        "basic header          | curl -H \"authorization: Basic dXNlcjpwYXNz\" https://x        | dXNlcjpwYXNz",
        "api key header        | curl -H 'X-Api-Key: k-123456' https://x                       | k-123456",
        "password flag =       | mysql --password=hunter2 -u root                              | hunter2",
        "password flag space   | psql --password hunter2                                       | hunter2",
        "token flag            | gh auth login --token abc123tok                               | abc123tok",
        "env assignment        | GITHUB_TOKEN=abc123 AWS_SECRET_ACCESS_KEY=xyz789 make deploy  | abc123",
        "second env assignment | GITHUB_TOKEN=abc123 AWS_SECRET_ACCESS_KEY=xyz789 make deploy  | xyz789",
        "curl user option      | curl -u admin:pa55word https://x                              | pa55word",
        "url credentials       | git clone https://bob:s3cret@github.com/acme/app.git          | s3cret",
        "github token          | echo ghp_0123456789abcdefghijABCDEFGHIJ0123                   | ghp_0123456789abcdefghij",
        "fine-grained pat      | echo github_pat_11ABCDEFG0123456789_abcdefghijklmnop         | github_pat_11ABCDEFG",
        "openai style key      | export KEY=sk-proj-abcdefghijklmnopqrstuvwxyz1234              | sk-proj-abcdefghij",
        "aws access key id     | aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE      | AKIAIOSFODNN7EXAMPLE",
        "slack token           | curl -d token=xoxb-1234567890-abcdefghij https://slack.com     | xoxb-1234567890",
        "jwt                   | curl -b session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U x | eyJzdWIiOiIxMjM0NTY3ODkwIn0",
      })
  void masksSecretsInsideText(String name, String text, String secret) {
    String redacted = redactor.redactText(text);
    assertThat(redacted).doesNotContain(secret).contains(Redactor.MASK);
  }

  @Test
  void leavesOrdinaryCommandsAlone() {
    for (String text :
        List.of(
            "git status",
            "npm test -- --watch=false",
            "ls -la /workspace",
            "git push origin main",
            "grep -r password_reset src/")) {
      assertThat(redactor.redactText(text)).isEqualTo(text);
    }
  }

  @Test
  void masksPrivateKeyBlocks() {
    String key =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    assertThat(redactor.redactText("cat > id <<EOF\n" + key + "\nEOF"))
        .doesNotContain("b3BlbnNzaC1rZXktdjEAAAAA");
  }

  @Test
  void masksValuesOfSecretLookingKeysAtAnyDepth() throws Exception {
    JsonNode input =
        new ObjectMapper()
            .readTree(
                """
        {"url": "https://api.example.com", "headers": {"Authorization": "Bearer zzz", "Accept": "json"},
         "body": {"user": "bob", "password": "hunter2", "nested": [{"api_key": "k1"}, {"clientSecret": "c1"}]},
         "accessToken": "t1", "author": "alice", "max_items": 3}
        """);
    String redacted = redactor.redact(input).toString();
    assertThat(redacted)
        .doesNotContain("zzz", "hunter2", "k1", "c1", "t1")
        .contains(
            "\"Accept\":\"json\"", "\"user\":\"bob\"", "\"author\":\"alice\"", "\"max_items\":3");
  }

  @Test
  void boundsLongStringsAndLargeStructures() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode big =
        json.readTree(
            "{\"content\": \""
                + "a".repeat(10_000)
                + "\", \"list\": "
                + json.writeValueAsString(IntStream.range(0, 500).boxed().toList())
                + "}");
    JsonNode redacted = redactor.redact(big);
    assertThat(redacted.path("content").asText()).hasSizeLessThan(600).endsWith("more characters)");
    assertThat(redacted.path("list")).hasSize(51);
  }

  @Test
  void redactsDerivedResources() {
    Map<String, Object> resource =
        redactor.redact(
            Map.of(
                "type",
                "command",
                "command",
                "curl -u admin:pw https://x -H 'Authorization: Bearer q1w2e3'",
                "programs",
                List.of("curl")));
    assertThat(resource.get("command").toString()).doesNotContain("q1w2e3");
    assertThat(resource.get("programs")).isEqualTo(List.of("curl"));
  }

  // The cheap trigger check may only skip patterns that could not have matched: over text built
  // from the patterns' own pieces in random case, it must answer exactly as running every pattern.
  @Test
  void triggerPreCheckNeverSkipsAMatch() {
    List<String> pieces =
        List.of(
            "Authorization",
            ": ",
            "=",
            " ",
            "Bearer ",
            "x-api-key",
            "Cookie",
            "--password",
            "-p",
            "--pass",
            "--Token",
            "-auth",
            "--client-secret",
            "GITHUB_TOKEN",
            "aws_secret_access_key",
            "MY_PRIVATE_KEY",
            "-u",
            "--user",
            "admin:pw",
            "https://",
            "bob:s3cret@",
            "host/x",
            "ghp_",
            "gho_",
            "github_pat_",
            "sk-",
            "sk-ant-",
            "AKIA",
            "ASIA",
            "IOSFODNN7EXAMPLE",
            "xoxb-",
            "glpat-",
            "eyJ",
            "abcdefghij0123456789",
            ".",
            "'",
            "\"",
            "\n",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----END RSA PRIVATE KEY-----",
            "K\u212Aey",
            "\u0130",
            "PaSsWd",
            "tOkEn");
    Random random = new Random(20261124);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(8) + 1; n > 0; n--) {
        String piece = pieces.get(random.nextInt(pieces.size()));
        text.append(random.nextBoolean() ? piece : piece.toUpperCase(Locale.ROOT));
      }
      String input = text.toString();
      assertThat(redactor.redactText(input))
          .as(input)
          .isEqualTo(redactor.redactTextExhaustively(input));
    }
  }
}
