package dev.tollgate.sidecar.install;

import dev.tollgate.sidecar.install.EgressRules.Family;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The injected {@code tollgate-egress-init} container (egress mode Enforce): installs {@link
 * EgressRules} for IPv4 and IPv6 in the pod's network namespace with the image's {@code
 * iptables-restore} / {@code ip6tables-restore}, then checks they are there. Any failure exits
 * non-zero, so the pod does not start without its rules.
 *
 * <p>{@code java -cp tollgate-sidecar.jar dev.tollgate.sidecar.install.EgressRuleInstaller
 * SIDECAR_UID}
 *
 * <p>Backend: the kernel runs the hooks of both iptables backends (nf_tables and the legacy
 * x_tables) and a packet must pass both, so a reject in either holds; the choice only decides where
 * a reader finds the rules. Like Kubernetes' iptables wrapper, the backend that already holds rules
 * in this namespace wins (a CNI or mesh init container may have written some); with none, nf_tables
 * when its {@code -save} works (the kernel supports it), else legacy. An image with only unsuffixed
 * tools ({@code iptables-restore}) uses them as they are.
 */
public final class EgressRuleInstaller {

  /** Where the legacy backend takes its lock: the root filesystem is read-only. */
  static final String LOCK_FILE_ENV = "XTABLES_LOCKFILE";

  private static final long TIMEOUT_SECONDS = 30;

  private final Path binDir;
  private final Map<String, String> env;

  EgressRuleInstaller(Path binDir, Map<String, String> env) {
    this.binDir = binDir;
    this.env = env;
  }

  public static void main(String[] args) {
    try {
      if (args.length != 1 || !args[0].matches("[0-9]{1,10}")) {
        throw new InstallException("usage: EgressRuleInstaller SIDECAR_UID");
      }
      long uid = Long.parseLong(args[0]);
      List<String> done =
          new EgressRuleInstaller(Path.of("/"), System.getenv()).install(uid, ipv6Present());
      System.err.println("tollgate-egress-init: " + String.join("; ", done));
    } catch (InstallException | IOException e) {
      System.err.println("tollgate-egress-init: " + e.getMessage());
      System.exit(1);
    }
  }

  /** A kernel without IPv6 has no IPv6 path out of the pod to close. */
  private static boolean ipv6Present() {
    return Files.isDirectory(Path.of("/proc/sys/net/ipv6"));
  }

  /** Installs and checks the rules; returns what was done, one entry per family. */
  List<String> install(long sidecarUser, boolean ipv6) throws IOException, InstallException {
    String backend = backend();
    List<String> done = new ArrayList<>();
    List<Family> families = ipv6 ? List.of(Family.IPV4, Family.IPV6) : List.of(Family.IPV4);
    for (Family family : families) {
      String save = tool(family, backend, "save");
      String restore = tool(family, backend, "restore");
      String before = run(List.of(save, "-t", "filter"), null);
      boolean jump = EgressRules.hasJump(before);
      List<String> command = new ArrayList<>(List.of(restore, "--noflush"));
      if (backend.equals("legacy")) {
        // nf_tables is transactional; x_tables needs the lock against concurrent writers.
        command.addAll(List.of("-w", "5"));
      }
      run(command, EgressRules.restoreInput(family, sidecarUser, jump));
      String after = run(List.of(save, "-t", "filter"), null);
      if (!EgressRules.installed(family, after)) {
        throw new InstallException(
            restore
                + " reported success, but "
                + save
                + " does not show chain "
                + EgressRules.CHAIN);
      }
      done.add(family.command() + " (" + backend + ") " + (jump ? "rules replaced" : "installed"));
    }
    if (!ipv6) {
      done.add("no IPv6 in this kernel");
    }
    return done;
  }

  /** {@code nft}, {@code legacy}, or {@code ""} for unsuffixed tools (see the class comment). */
  String backend() throws InstallException {
    Optional<Integer> nft = existingRules("nft");
    Optional<Integer> legacy = existingRules("legacy");
    if (nft.isPresent() && legacy.isPresent()) {
      return legacy.get() > nft.get() ? "legacy" : "nft";
    }
    if (nft.isPresent()) {
      return "nft";
    }
    if (legacy.isPresent()) {
      return "legacy";
    }
    if (Files.isExecutable(binary("iptables-restore"))) {
      return "";
    }
    throw new InstallException(
        "no working iptables-restore (nft or legacy) in this image: the egress rules cannot be"
            + " installed, and the pod must not start without them");
  }

  /** Rules of both families in {@code backend}, or empty when its tools are missing or fail. */
  private Optional<Integer> existingRules(String backend) {
    int rules = 0;
    for (Family family : Family.values()) {
      Path save = binary(family.command() + "-" + backend + "-save");
      if (!Files.isExecutable(save)) {
        return Optional.empty();
      }
      try {
        rules += EgressRules.ruleCount(run(List.of(save.toString()), null));
      } catch (IOException | InstallException e) {
        if (family == Family.IPV4) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(rules);
  }

  private String tool(Family family, String backend, String action) {
    String name =
        backend.isEmpty()
            ? family.command() + "-" + action
            : family.command() + "-" + backend + "-" + action;
    return binary(name).toString();
  }

  /** Tools are named by full path: nothing on PATH chooses them. */
  private Path binary(String name) {
    for (String dir : List.of("usr/sbin", "sbin", "usr/bin", "bin")) {
      Path candidate = binDir.resolve(dir).resolve(name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return binDir.resolve("usr/sbin").resolve(name);
  }

  private String run(List<String> command, String input) throws IOException, InstallException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    builder.environment().put(LOCK_FILE_ENV, env.getOrDefault(LOCK_FILE_ENV, "/tmp/xtables.lock"));
    builder.redirectErrorStream(true);
    Process process = builder.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    try (OutputStream stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new InstallException(command.get(0) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new InstallException("interrupted while running " + command.get(0));
    }
    String text = output.join();
    if (process.exitValue() != 0) {
      throw new InstallException(
          String.join(" ", command)
              + " failed (exit "
              + process.exitValue()
              + "): "
              + text.strip());
    }
    return text;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  /** A problem that stops the pod from starting, which is the point: fail closed. */
  static final class InstallException extends Exception {
    private static final long serialVersionUID = 1L;

    InstallException(String message) {
      super(message);
    }
  }
}
