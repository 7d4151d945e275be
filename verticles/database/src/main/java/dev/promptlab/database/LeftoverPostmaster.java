package dev.promptlab.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server still running on our cluster directory although no PromptLab holds the data
 * directory's lock: the JVM that started it died (SIGKILL, the OOM killer) and the server lived on.
 *
 * <p>Rules: the {@code postmaster.pid} file names the process; it counts as a leftover only when that
 * process is alive, is a {@code postgres} program and the file names our directory. A leftover is shut
 * down (fast shutdown, then immediate) before the new start, so PostgreSQL's own crash recovery runs on
 * a directory nobody else uses. A pid file whose process is gone, or whose number now belongs to another
 * program, is stale: PostgreSQL handles the first case, the second is removed here (PostgreSQL would
 * refuse to start, believing another server runs).
 */
final class LeftoverPostmaster {

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);

  private LeftoverPostmaster() {
  }

  /** Blocking: shuts down a leftover server on {@code cluster}, if there is one; returns whether there was. */
  static boolean stopIfRunning(Path cluster) {
    Path pidFile = cluster.resolve("postmaster.pid");
    List<String> lines;
    try {
      if (!Files.exists(pidFile)) {
        return false;
      }
      lines = Files.readAllLines(pidFile);
    } catch (IOException e) {
      return false;
    }
    if (lines.size() < 2 || !lines.get(0).trim().matches("\\d+")) {
      return false;
    }
    long pid = Long.parseLong(lines.get(0).trim());
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    Optional<String> command = process.get().info().command();
    if (command.isEmpty()) {
      throw new IllegalStateException("The database directory " + cluster + " is held by process " + pid
        + ", which this user cannot inspect: stop that process, then start PromptLab again");
    }
    boolean postgres = Path.of(command.get()).getFileName().toString().equals("postgres");
    boolean ours = Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(cluster);
    if (!postgres || !ours) {
      LOG.info("Removing the stale {} (process {} is {}, not our database server)", pidFile, pid, command.get());
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        throw new IllegalStateException("could not remove the stale " + pidFile, e);
      }
      return false;
    }
    LOG.warn("An embedded PostgreSQL (process {}) is still running on {} although no PromptLab uses it (the previous"
      + " PromptLab process died without stopping it); shutting it down before starting again", pid, cluster);
    if (!signalAndWait(process.get(), "INT", 30) && !signalAndWait(process.get(), "QUIT", 10)) {
      throw new IllegalStateException("The embedded PostgreSQL left running on " + cluster + " (process " + pid
        + ") does not stop: kill it (kill -9 " + pid + "), then start PromptLab again");
    }
    LOG.info("The leftover PostgreSQL (process {}) has stopped", pid);
    return true;
  }

  /** SIGINT is PostgreSQL's fast shutdown, SIGQUIT its immediate one (crash recovery follows at the next start). */
  private static boolean signalAndWait(ProcessHandle process, String signal, int seconds) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
        .redirectErrorStream(true).start();
      kill.getInputStream().readAllBytes();
      kill.waitFor();
      process.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (IOException | ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
