package dev.promptlab.generation;

import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.JsonObject;

/**
 * One-time JVM costs paid on the test thread, not on an event loop where the blocked-thread guard would
 * flag them: Netty's first pooled direct buffer registers its JFR events, and Vert.x's first JSON encode
 * builds Jackson's object mapper. Each takes a few hundred ms once per JVM.
 */
public final class JvmWarmUp {

  private JvmWarmUp() {
  }

  public static void run() {
    ByteBufAllocator.DEFAULT.directBuffer(1024).release();
    new JsonObject(new JsonObject().put("warm", true).encode()).toBuffer();
  }
}
