package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Commands run inside a container ({@code docker run IMAGE CMD}, {@code docker exec C CMD}, the
 * same for podman and nerdctl, {@code kubectl exec POD -- CMD}): not commands of this machine, so
 * reported as inline code for the program that runs them, never parsed into {@code commands}.
 */
final class ContainerCommands {

  private static final Set<String> ENGINES = Set.of("docker", "podman", "nerdctl");

  /**
   * Options of {@code run}/{@code exec} that take a value as the next word (the rest are flags).
   */
  private static final Set<String> WITH_VALUE =
      Set.of(
          "-e",
          "--env",
          "--env-file",
          "-u",
          "--user",
          "-w",
          "--workdir",
          "--detach-keys",
          "-v",
          "--volume",
          "-p",
          "--publish",
          "--name",
          "--network",
          "--net",
          "--entrypoint",
          "-m",
          "--memory",
          "--cpus",
          "--mount",
          "-l",
          "--label",
          "--platform",
          "-h",
          "--hostname",
          "--add-host",
          "--cap-add",
          "--cap-drop",
          "--device",
          "--dns",
          "--gpus",
          "--ipc",
          "--log-driver",
          "--log-opt",
          "--pid",
          "--restart",
          "--runtime",
          "--security-opt",
          "--shm-size",
          "--tmpfs",
          "--ulimit",
          "--volumes-from",
          "--cidfile",
          "--health-cmd",
          "--pull",
          "--group-add",
          "--userns",
          "--uts",
          "--expose",
          "--link",
          "--label-file",
          "--stop-signal",
          "--stop-timeout",
          "--cgroupns",
          "--cpuset-cpus",
          "--memory-swap",
          "--init-path",
          "--sysctl",
          "--annotation",
          "--attach",
          "-a",
          "--domainname",
          "--mac-address",
          "--ip",
          "--ip6");

  private ContainerCommands() {}

  static List<InlineCode> find(String name, List<Field> args) {
    List<InlineCode> found = new ArrayList<>();
    if (ENGINES.contains(name) && !args.isEmpty()) {
      String sub = args.get(0).text();
      if (sub.equals("container") && args.size() > 1) {
        sub = args.get(1).text();
        args = args.subList(1, args.size());
      }
      if (sub.equals("run") || sub.equals("exec")) {
        int i = 1;
        while (i < args.size()
            && args.get(i).text().startsWith("-")
            && !args.get(i).text().equals("--")) {
          String a = args.get(i).text();
          i += WITH_VALUE.contains(a) && a.indexOf('=') < 0 ? 2 : 1;
        }
        i += i < args.size() && args.get(i).text().equals("--") ? 1 : 0;
        add(found, name + " " + sub, args, i + 1); // after the image or container
      }
    } else if (name.equals("kubectl") && !args.isEmpty() && args.get(0).text().equals("exec")) {
      for (int i = 1; i < args.size(); i++) {
        if (args.get(i).text().equals("--")) {
          add(found, "kubectl exec", args, i + 1);
          break;
        }
      }
    }
    return found;
  }

  private static void add(List<InlineCode> found, String program, List<Field> args, int from) {
    if (from < args.size()) {
      List<String> words = new ArrayList<>();
      args.subList(from, args.size()).forEach(f -> words.add(f.text()));
      found.add(new InlineCode(program, String.join(" ", words), "argument", ""));
    }
  }
}
