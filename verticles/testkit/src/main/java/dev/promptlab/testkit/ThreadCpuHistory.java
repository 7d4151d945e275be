package dev.promptlab.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How much CPU each Vert.x event-loop thread has used lately, so that a blocked-thread warning can be told apart
 * from a thread the operating system did not run. Vert.x warns when one task has held an event loop for longer than
 * the limit, measured in wall time. Code that blocks the loop either computes (the thread uses the CPU all along),
 * waits (the thread is not {@code RUNNABLE}) or sits in a system call (a native frame on top). A thread that is
 * {@code RUNNABLE} in Java code yet used little CPU over the window was not blocked by code: it was waiting for a
 * core on a machine running more than it has cores for, or stopped by a garbage collection. A read or write on one of
 * Netty's sockets counts as Java code: those sockets are non-blocking, so the call never waits for the peer, only
 * copies (on the CPU) or waits for a core.
 */
final class ThreadCpuHistory {

  /** Below this share of the window spent on the CPU, a runnable thread in Java code was kept off the CPU. */
  static final double STARVED_CPU_SHARE = 0.25;
  private static final long SAMPLE_EVERY_MS = 20;
  private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Frames looked at per sample: deep enough to see the Netty channel under a socket read or write. */
  private static final int STACK_DEPTH = 16;
  /** Native socket reads and writes of the JDK's NIO (the writes go through the file dispatcher's natives). */
  private static final Set<String> SOCKET_CALLS = Set.of("sun.nio.ch.SocketDispatcher.read0",
    "sun.nio.ch.SocketDispatcher.readv0", "sun.nio.ch.SocketDispatcher.write0", "sun.nio.ch.SocketDispatcher.writev0",
    "sun.nio.ch.FileDispatcherImpl.write0", "sun.nio.ch.FileDispatcherImpl.writev0");
  /** Netty's NIO socket channels, which are always non-blocking. */
  private static final String NETTY_NIO = "io.netty.channel.socket.nio.";

  private record Sample(long at, long cpu, Thread.State state, Frame frame) {
  }

  /** Where a thread was when looked at: what its top frame says about what it was doing. */
  enum Frame {
    /** Running Java code (or ready to, waiting for a core), or reading or writing a non-blocking Netty socket. */
    JAVA,
    /** An event loop idle between tasks, waiting in its selector: not inside any task. */
    SELECTOR,
    /** Any other native method: a system call (file, socket) that the thread waits in. Also an unknown place. */
    SYSTEM_CALL
  }

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Deque<Sample>> samples = new ConcurrentHashMap<>();

  ThreadCpuHistory() {
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    Thread sampler = new Thread(this::sampleForever, "event-loop-cpu-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** False when this JVM cannot measure a thread's CPU time: every warning then counts. */
  boolean supported() {
    return threads.isThreadCpuTimeSupported();
  }

  /**
   * True when the named thread, reported blocked for {@code blockedMs}, was in fact kept off the CPU: runnable in
   * Java code and on the CPU for less than {@value #STARVED_CPU_SHARE} of the window. False when it blocked (or
   * when that cannot be told).
   */
  boolean starved(String threadName, long blockedMs) {
    if (!supported()) {
      return false;
    }
    long now = System.nanoTime();
    long windowStart = now - TimeUnit.MILLISECONDS.toNanos(blockedMs);
    // Several Vert.x instances in one JVM name their loops alike: every thread of that name is looked at, now and
    // in its samples within the window.
    List<Observation> seen = new ArrayList<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), STACK_DEPTH)) {
      if (info != null && info.getThreadName().equals(threadName)) {
        Double share = cpuShare(info.getThreadId(), windowStart, now);
        seen.add(new Observation(info.getThreadState(), frameOf(info.getStackTrace()), share));
        for (Sample s : samplesSince(info.getThreadId(), windowStart)) {
          seen.add(new Observation(s.state(), s.frame(), share));
        }
      }
    }
    return keptOffTheCpu(seen);
  }

  /** One look at a thread of the reported name: its state, its top frame, its CPU share over the window (null: unknown). */
  record Observation(Thread.State state, Frame frame, Double cpuShare) {
  }

  /**
   * The judgement over every look at the threads of the name (the last one and the samples within the window): at
   * least one look finds Java code, the thread used less than {@value #STARVED_CPU_SHARE} of the window, and no look
   * finds it waiting, blocked or in a system call. A look at a loop idle in its selector is neither evidence nor a
   * candidate.
   */
  static boolean keptOffTheCpu(List<Observation> looks) {
    boolean candidate = false;
    for (Observation o : looks) {
      if (o.frame() == Frame.SELECTOR) {
        continue;
      }
      if (o.state() != Thread.State.RUNNABLE || o.frame() == Frame.SYSTEM_CALL) {
        return false;
      }
      if (o.cpuShare() == null || o.cpuShare() >= STARVED_CPU_SHARE) {
        return false;
      }
      candidate = true;
    }
    return candidate;
  }

  /**
   * What the top frames say: a loop's idle selector wait, a socket read or write under a Netty channel (non-blocking:
   * counted as Java code), another native method, or Java code.
   */
  static Frame frameOf(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return Frame.SYSTEM_CALL;
    }
    StackTraceElement top = stack[0];
    if (!top.isNativeMethod()) {
      return Frame.JAVA;
    }
    String at = top.getClassName() + "." + top.getMethodName();
    boolean idle = at.equals("sun.nio.ch.EPoll.wait") || at.equals("sun.nio.ch.KQueue.poll")
      || at.equals("sun.nio.ch.WEPoll.wait") || at.startsWith("io.netty.channel.epoll.Native.epollWait")
      || at.startsWith("io.netty.channel.kqueue.Native.keventWait");
    if (idle) {
      return Frame.SELECTOR;
    }
    boolean nettySocket = SOCKET_CALLS.contains(at)
      && Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith(NETTY_NIO));
    return nettySocket ? Frame.JAVA : Frame.SYSTEM_CALL;
  }

  private List<Sample> samplesSince(long threadId, long windowStart) {
    Deque<Sample> history = samples.get(threadId);
    if (history == null) {
      return List.of();
    }
    synchronized (history) {
      return history.stream().filter(s -> s.at() >= windowStart).toList();
    }
  }

  /** The share of the time since {@code windowStart} the thread spent on the CPU; null without a sample that old. */
  private Double cpuShare(long threadId, long windowStart, long now) {
    long cpuNow = threads.getThreadCpuTime(threadId);
    Deque<Sample> history = samples.get(threadId);
    if (cpuNow < 0 || history == null) {
      return null;
    }
    Sample before = null;
    synchronized (history) {
      for (Sample s : history) {
        if (s.at() <= windowStart) {
          before = s;
        }
      }
    }
    return before == null ? null : (cpuNow - before.cpu()) / (double) (now - before.at());
  }

  private void sampleForever() {
    while (true) {
      try {
        sampleOnce();
        Thread.sleep(SAMPLE_EVERY_MS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A thread that ended between listing and measuring: the next round sees the live ones.
      }
    }
  }

  private void sampleOnce() {
    long now = System.nanoTime();
    // Names first (no stacks, cheap), then the top frames of the event loops alone.
    long[] loops = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds(), 0))
      .filter(info -> info != null && info.getThreadName().startsWith("vert.x-eventloop-thread-"))
      .mapToLong(ThreadInfo::getThreadId).toArray();
    for (ThreadInfo info : threads.getThreadInfo(loops, STACK_DEPTH)) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      Deque<Sample> history = samples.computeIfAbsent(info.getThreadId(), id -> new ArrayDeque<>());
      synchronized (history) {
        history.addLast(new Sample(now, cpu, info.getThreadState(), frameOf(info.getStackTrace())));
        while (!history.isEmpty() && now - history.peekFirst().at() > KEEP_NANOS) {
          history.removeFirst();
        }
      }
    }
    samples.keySet().removeIf(id -> threads.getThreadCpuTime(id) < 0);
  }
}
