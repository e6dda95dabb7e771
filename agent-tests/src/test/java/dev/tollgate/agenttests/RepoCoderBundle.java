package dev.tollgate.agenttests;

import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundle the operator would publish for {@code agents/repo-coder}, compiled from the shipped
 * {@code examples/} with the engine's compiler. The examples confine file tools to {@code
 * /workspace}; a test's workspace is a temporary directory, so that one prefix is rewritten to it
 * and every other rule stays as shipped.
 */
public final class RepoCoderBundle {

  public static final String IDENTITY = "agents/repo-coder";

  /** The identity requires a principal; alice is in its allowedPrincipals. */
  public static final String PRINCIPAL = "alice";

  public static final Path REPO_ROOT =
      Path.of(System.getProperty("tollgate.repoRoot", "..")).toAbsolutePath().normalize();

  private RepoCoderBundle() {}

  public static String json(Path workspace) {
    String prefix = workspace.toAbsolutePath().normalize().toString();
    if (!prefix.matches("/[A-Za-z0-9_./-]+")) {
      // It lands inside CEL string literals and regexes.
      throw new IllegalArgumentException("workspace path must be plain: " + prefix);
    }
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    ManifestLoader loader = new ManifestLoader();
    for (Path file : ManifestLoader.manifestFiles(REPO_ROOT.resolve("examples"))) {
      loader.readText(
          read(file).replace("/workspace", prefix), file.toString(), documents, problems);
    }
    requireNone(problems);
    return compile(documents);
  }

  /**
   * The bundle for {@code agents/repo-coder} compiled from {@code manifests} alone (YAML, several
   * documents), for a test that needs a policy set of its own; written to {@code file}.
   */
  public static Path writeFromManifests(String manifests, Path file) throws IOException {
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(manifests, file.getFileName().toString(), documents, problems);
    requireNone(problems);
    Files.writeString(file, compile(documents));
    return file;
  }

  private static String compile(List<ManifestLoader.Document> documents) {
    Compilation compilation =
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, "agents", "repo-coder"));
    requireNone(compilation.problems());
    return BundleCodec.toJson(compilation.bundle().orElseThrow());
  }

  public static Path write(Path workspace, Path file) throws IOException {
    Files.writeString(file, json(workspace));
    return file;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireNone(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the manifests do not compile: " + problems);
    }
  }
}
