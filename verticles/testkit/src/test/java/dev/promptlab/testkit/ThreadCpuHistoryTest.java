package dev.promptlab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.ThreadCpuHistory.Frame;
import dev.promptlab.testkit.ThreadCpuHistory.Observation;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A blocked-thread warning counts unless the loop ran Java code while barely on the CPU. */
class ThreadCpuHistoryTest {

  private static final Thread.State RUNNABLE = Thread.State.RUNNABLE;

  @Test
  void aLoopRunnableInJavaCodeButBarelyOnTheCpuWasKeptWaiting() {
    assertTrue(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(RUNNABLE, Frame.JAVA, 0.05))));
    assertTrue(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(RUNNABLE, Frame.JAVA, 0.10),
      new Observation(RUNNABLE, Frame.SELECTOR, 0.0))), "another instance's idle loop of the same name changes nothing");
  }

  @Test
  void computingWaitingOrSystemCallsAreRealBlocks() {
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(RUNNABLE, Frame.JAVA, 0.95))), "computing");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(Thread.State.TIMED_WAITING, Frame.JAVA, 0.0))),
      "sleeping");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(Thread.State.BLOCKED, Frame.JAVA, 0.0))),
      "waiting for a lock");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(Thread.State.WAITING, Frame.JAVA, 0.0))),
      "waiting for a future");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(RUNNABLE, Frame.SYSTEM_CALL, 0.0))),
      "in a system call (file or socket)");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(RUNNABLE, Frame.JAVA, null))),
      "no CPU figure from before the window");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of()), "no such thread");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(new Observation(RUNNABLE, Frame.JAVA, 0.05),
      new Observation(RUNNABLE, Frame.JAVA, 0.90))), "one of two loops of that name computed");
  }

  @Test
  void whatTheLoopDidDuringTheWindowDecidesNotWhereItWasWhenLastSeen() {
    Observation idleNow = new Observation(RUNNABLE, Frame.SELECTOR, 0.04);
    assertTrue(ThreadCpuHistory.keptOffTheCpu(List.of(idleNow, new Observation(RUNNABLE, Frame.JAVA, 0.04),
      new Observation(RUNNABLE, Frame.JAVA, 0.04))), "sampled runnable in Java code, barely on the CPU, idle since");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(idleNow, new Observation(RUNNABLE, Frame.JAVA, 0.04),
      new Observation(Thread.State.TIMED_WAITING, Frame.JAVA, 0.04))), "slept during the window");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(idleNow, new Observation(RUNNABLE, Frame.SYSTEM_CALL, 0.04))),
      "read a file or a socket during the window");
    assertFalse(ThreadCpuHistory.keptOffTheCpu(List.of(idleNow)), "idle, and no sample of the window: no evidence");
  }

  @Test
  void theTopFrameSaysWhetherALoopIsIdleInItsSelector() {
    StackTraceElement epoll = new StackTraceElement("sun.nio.ch.EPoll", "wait", null, -2);
    StackTraceElement socketRead = new StackTraceElement("sun.nio.ch.Net", "poll", null, -2);
    StackTraceElement java = new StackTraceElement("dev.promptlab.Some", "work", "Some.java", 12);
    assertEquals(Frame.SELECTOR, ThreadCpuHistory.frameOf(new StackTraceElement[] {epoll}));
    assertEquals(Frame.SYSTEM_CALL, ThreadCpuHistory.frameOf(new StackTraceElement[] {socketRead}));
    assertEquals(Frame.JAVA, ThreadCpuHistory.frameOf(new StackTraceElement[] {java, epoll}));
    assertEquals(Frame.SYSTEM_CALL, ThreadCpuHistory.frameOf(new StackTraceElement[0]), "unknown counts as a block");
  }

  @Test
  void aWriteOnANettySocketIsNonBlockingButTheSameCallOnAFileIsASystemCall() {
    StackTraceElement writev = new StackTraceElement("sun.nio.ch.FileDispatcherImpl", "writev0", null, -2);
    StackTraceElement socketWrite = new StackTraceElement("sun.nio.ch.SocketDispatcher", "writev", null, 62);
    StackTraceElement channelWrite = new StackTraceElement("sun.nio.ch.SocketChannelImpl", "write", null, 590);
    StackTraceElement netty = new StackTraceElement("io.netty.channel.socket.nio.NioSocketChannel", "doWrite", null, 415);
    StackTraceElement fileWrite = new StackTraceElement("sun.nio.ch.FileChannelImpl", "write", null, 285);
    StackTraceElement vertxFiles = new StackTraceElement("io.vertx.core.file.impl.FileSystemImpl", "writeFile", null, 9);
    assertEquals(Frame.JAVA, ThreadCpuHistory.frameOf(new StackTraceElement[] {writev, socketWrite, channelWrite, netty}),
      "waits for no peer: judged by its CPU share like Java code");
    assertEquals(Frame.SYSTEM_CALL, ThreadCpuHistory.frameOf(new StackTraceElement[] {writev, fileWrite, vertxFiles}),
      "a file written on the loop");
    assertEquals(Frame.SYSTEM_CALL, ThreadCpuHistory.frameOf(new StackTraceElement[] {writev, socketWrite, channelWrite}),
      "a socket that is not Netty's may be a blocking one");
    StackTraceElement read = new StackTraceElement("sun.nio.ch.SocketDispatcher", "read0", null, -2);
    assertEquals(Frame.JAVA, ThreadCpuHistory.frameOf(new StackTraceElement[] {read, netty}));
  }

  @Test
  void aLoopThatWaitsIsBlockedWhateverTheMachinesLoad() throws Exception {
    ThreadCpuHistory history = new ThreadCpuHistory();
    CountDownLatch release = new CountDownLatch(1);
    // A thread named as Vert.x names its event loops, waiting inside a task as a blocking call would.
    Thread loop = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vert.x-eventloop-thread-waiting-in-a-test");
    loop.start();
    try {
      Eventually.until("the loop waits in its task", () -> loop.getState() == Thread.State.WAITING);
      assertFalse(history.starved(loop.getName(), 1), "a waiting loop is blocked by its code");
      assertFalse(history.starved("vert.x-eventloop-thread-nobody", 1), "no such thread");
    } finally {
      release.countDown();
      loop.join();
    }
  }
}
