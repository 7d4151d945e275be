package dev.promptlab.http.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(2_000);

  @Test
  void verifiesTheRightPasswordOnly() {
    String hash = hasher.hash("contraseña segura");
    assertTrue(hash.startsWith("pbkdf2-sha256$2000$"), hash);
    assertTrue(PasswordHasher.verify("contraseña segura", hash));
    assertFalse(PasswordHasher.verify("contraseña Segura", hash));
    assertFalse(PasswordHasher.verify("", hash));
  }

  @Test
  void saltsEveryHash() {
    assertNotEquals(hasher.hash("same password"), hasher.hash("same password"));
  }

  @Test
  void malformedHashesNeverVerify() {
    for (String stored : new String[] {null, "", "plain", "pbkdf2-sha256$x$y$z", "pbkdf2-sha256$10$AAAA$AAAA",
      "md5$1000$AAAA$AAAA"}) {
      assertFalse(PasswordHasher.verify("anything", stored), String.valueOf(stored));
    }
  }

  @Test
  void theDefaultIsStrongAndTinyCountsAreRefused() {
    assertEquals(600_000, PasswordHasher.DEFAULT_ITERATIONS);
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(10));
  }
}
