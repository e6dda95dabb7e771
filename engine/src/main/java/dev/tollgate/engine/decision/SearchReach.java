package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.path.FilePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Grep and Glob may reach: the search root ({@code path}, the working directory by default)
 * and, in {@code paths}, the root and the file patterns under it. Grep's {@code glob} (ripgrep's
 * {@code --glob}, which also overrides its hidden-file filter) and Glob's {@code pattern} name the
 * files read or listed, so a secrets rule must see them: {@code {"glob": ".env"}} searches inside
 * {@code .env} files although the path is the workspace.
 */
final class SearchReach {

  private SearchReach() {}

  static Map<String, Object> of(String tool, JsonNode args, String cwd, String home) {
    String raw = ResourceDeriver.text(args, "path");
    String root = FilePath.resolve(raw.isEmpty() ? cwd : raw, cwd, home);
    String pattern = ResourceDeriver.text(args, tool.equals("Glob") ? "pattern" : "glob");
    List<String> paths = new ArrayList<>();
    paths.add(root);
    if (!pattern.isEmpty()) {
      String positive = pattern.startsWith("!") ? pattern.substring(1) : pattern;
      // A glob without a slash matches a file name at any depth below the root.
      String underRoot =
          positive.contains("/") || tool.equals("Glob") ? positive : "**/" + positive;
      paths.add(
          positive.startsWith("/") || positive.startsWith("~")
              ? FilePath.resolve(positive, root, home)
              : FilePath.resolve(underRoot, root, home));
    }
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("type", "file");
    resource.put("path", root);
    resource.put("paths", paths);
    resource.put("glob", pattern);
    resource.put("fileType", ResourceDeriver.text(args, "type"));
    return resource;
  }
}
