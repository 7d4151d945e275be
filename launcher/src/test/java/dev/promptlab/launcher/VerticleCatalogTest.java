package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Deployable;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerticleCatalogTest {

  @Test
  void everyNameIsADeployableWithANoArgumentConstructor() throws Exception {
    assertEquals(Set.of("http", "generation", "optimizer", "evolution", "metrics", "reward",
      "textopt"), VerticleCatalog.names());
    for (String name : VerticleCatalog.names()) {
      String deploymentName = VerticleCatalog.deploymentName(name);
      assertTrue(deploymentName.startsWith("java:"), deploymentName);
      Class<?> type = Class.forName(deploymentName.substring("java:".length()));
      assertTrue(Deployable.class.isAssignableFrom(type), type + " is deployable");
      assertTrue(type.getSimpleName().toLowerCase().startsWith(name), type + " is the " + name + " verticle");
      type.getDeclaredConstructor().newInstance();
    }
  }

  @Test
  void anUnknownNameIsRefusedWithTheKnownOnes() {
    assertFalse(VerticleCatalog.knows("billing"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> VerticleCatalog.deploymentName("billing"));
    assertTrue(e.getMessage().contains("generation"));
  }
}
