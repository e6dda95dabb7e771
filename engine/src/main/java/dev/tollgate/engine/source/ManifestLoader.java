package dev.tollgate.engine.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads manifest files and folders (recursively {@code *.yaml} / {@code *.yml}, multi-document)
 * into raw documents, turning YAML syntax errors into {@link Problem}s with line and column.
 */
public final class ManifestLoader {

  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

  /** One parsed document and the file it came from. */
  public record Document(JsonNode node, String origin) {}

  /** All documents read, and the problems met reading them. */
  public record Result(List<Document> documents, List<Problem> problems) {}

  public Result load(List<Path> paths) {
    List<Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        problems.add(
            new Problem(
                ProblemCode.UNREADABLE_SOURCE,
                path.toString(),
                "",
                "",
                "no such file or directory"));
        continue;
      }
      for (Path file : manifestFiles(path)) {
        readFile(file, documents, problems);
      }
    }
    return new Result(List.copyOf(documents), List.copyOf(problems));
  }

  /** The YAML files under a path, in a stable order so every run compiles the same way. */
  public static List<Path> manifestFiles(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".yaml") || name.endsWith(".yml");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses YAML text (one or more documents); used for files and for stdin. */
  public void readText(
      String text, String origin, List<Document> documents, List<Problem> problems) {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        for (JsonNode item : ManifestParser.expandLists(node)) {
          documents.add(new Document(item, origin));
        }
      }
    } catch (JsonProcessingException e) {
      problems.add(
          new Problem(
              ProblemCode.UNREADABLE_SOURCE,
              origin,
              "",
              "",
              "invalid YAML"
                  + where(e.getLocation())
                  + ": "
                  + String.join(
                      " ",
                      e.getOriginalMessage()
                          .lines()
                          .map(String::strip)
                          .filter(l -> !l.isEmpty())
                          .limit(2)
                          .toList())));
    } catch (IOException | RuntimeException e) {
      problems.add(
          new Problem(
              ProblemCode.UNREADABLE_SOURCE, origin, "", "", "invalid YAML: " + firstLine(e)));
    }
  }

  private void readFile(Path file, List<Document> documents, List<Problem> problems) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      problems.add(
          new Problem(
              ProblemCode.UNREADABLE_SOURCE,
              file.toString(),
              "",
              "",
              "cannot read: " + e.getMessage()));
      return;
    }
    readText(text, file.toString(), documents, problems);
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
