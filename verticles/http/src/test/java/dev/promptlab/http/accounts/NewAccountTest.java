package dev.promptlab.http.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NewAccountTest {

  private final PasswordHasher hasher = new PasswordHasher(1_000);

  @Test
  void normalisesTheEmailAndHashesThePassword() {
    NewAccount account = NewAccount.prepare("  Ana.Garcia@Example.COM ", "una contraseña larga", " Ana ", hasher);
    assertEquals("ana.garcia@example.com", account.email());
    assertEquals("Ana", account.displayName());
    assertTrue(PasswordHasher.verify("una contraseña larga", account.passwordHash()));
    assertTrue(!account.toString().contains(account.passwordHash()));
  }

  @Test
  void refusesWhatCannotBeAnAccount() {
    assertThrows(IllegalArgumentException.class, () -> NewAccount.prepare("not-an-email", "long enough pass", null, hasher));
    assertThrows(IllegalArgumentException.class, () -> NewAccount.prepare("a@b.co", "short", null, hasher));
    assertThrows(IllegalArgumentException.class, () -> NewAccount.prepare("a@b.co", "x".repeat(201), null, hasher));
    assertThrows(IllegalArgumentException.class, () -> NewAccount.prepare("ana@example.com", "ANA@EXAMPLE.COM", null, hasher));
    assertThrows(AccountRefused.class, () -> NewAccount.prepare("a\u200bna@example.com", "long enough pass", null, hasher));
    assertThrows(AccountRefused.class, () -> NewAccount.prepare("ana@example.com", "password12", null, hasher));
    assertNull(NewAccount.normaliseEmail("two@@signs.com"));
    assertNull(NewAccount.normaliseEmail(null));
  }
}
