package dev.tollgate.cli.approvals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Approvals in a machine-readable {@link ApprovalFormat}, shaped as kubectl prints them: an object,
 * a {@code v1 List} of them, or {@code toolcallapproval.tollgate.dev/NAME} lines; in a watch, one
 * {@code {type, object}} event per change (a JSON line, or a YAML document).
 */
final class ApprovalPrinter {

  static final String RESOURCE =
      HasMetadata.getSingular(ToolCallApproval.class)
          + "."
          + HasMetadata.getGroup(ToolCallApproval.class);

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build();

  private final ApprovalFormat format;
  private final PrintWriter out;

  ApprovalPrinter(ApprovalFormat format, PrintWriter out) {
    this.format = format;
    this.out = out;
  }

  void one(ToolCallApproval approval) {
    if (format == ApprovalFormat.NAME) {
      out.println(name(approval));
    } else {
      document(tree(approval), true);
    }
    out.flush();
  }

  void list(List<ToolCallApproval> approvals) {
    if (format == ApprovalFormat.NAME) {
      approvals.forEach(a -> out.println(name(a)));
    } else {
      ObjectNode list = JsonNodeFactory.instance.objectNode();
      list.put("apiVersion", "v1");
      list.put("kind", "List");
      var items = list.putArray("items");
      approvals.forEach(a -> items.add(tree(a)));
      list.putObject("metadata").put("resourceVersion", "");
      document(list, true);
    }
    out.flush();
  }

  /** One change seen by a watch: ADDED, MODIFIED or DELETED. */
  void event(String type, ToolCallApproval approval) {
    if (format == ApprovalFormat.NAME) {
      out.println(name(approval));
    } else {
      ObjectNode event = JsonNodeFactory.instance.objectNode();
      event.put("type", type);
      event.set("object", tree(approval));
      if (format == ApprovalFormat.YAML) {
        out.println("---");
      }
      document(event, false);
    }
    out.flush();
  }

  static String name(ToolCallApproval approval) {
    return RESOURCE + "/" + approval.getMetadata().getName();
  }

  private static JsonNode tree(ToolCallApproval approval) {
    return SERIALIZATION.convertValue(approval, JsonNode.class);
  }

  /** JSON indented, or (in a watch) on one line so that each event is one line. */
  private void document(JsonNode node, boolean indented) {
    try {
      switch (format) {
        case JSON ->
            out.println(
                indented
                    ? JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node)
                    : JSON.writeValueAsString(node));
        case YAML -> out.print(YAML.writeValueAsString(node));
        case NAME -> throw new IllegalStateException("names are not documents");
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
