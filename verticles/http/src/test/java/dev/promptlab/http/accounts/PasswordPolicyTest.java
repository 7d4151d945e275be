package dev.promptlab.http.accounts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  private final PasswordPolicy policy = PasswordPolicy.standard();

  private void refused(String key, String password, String email) {
    AccountRefused refusal = assertThrows(AccountRefused.class, () -> policy.check(password, email), password);
    assertEquals(key, refusal.key(), password);
  }

  @Test
  void thePenTestsPasswordsAreRefused() {
    refused("password_repeated", "aaaaaaaaaa", "ana@example.com");
    refused("password_common", "1234567890", "ana@example.com");
    refused("password_common", "password12", "ana@example.com");
  }

  @Test
  void commonPasswordsAreRefusedInAnyCaseAndWithDigitsAppended() {
    refused("password_common", "QWERTYUIOP", "ana@example.com");
    refused("password_common", "Sunshine2024!", "ana@example.com");
    refused("password_common", "basketball", "ana@example.com");
  }

  @Test
  void mostlyOneCharacterOrAShortPatternIsRefused() {
    refused("password_repeated", "zzzzzzzzzzzzzzzq1", "ana@example.com");
    refused("password_repeated", "xyzwxyzwxyzw", "ana@example.com");
    refused("password_repeated", "9a9b9c9d9e9f", "ana@example.com");
  }

  @Test
  void simpleSequencesAreRefused() {
    refused("password_sequence", "lmnopqrstuv", "ana@example.com");
    refused("password_sequence", "9876543210x", "ana@example.com");
    refused("password_sequence", "34567890123", "ana@example.com");
  }

  @Test
  void theEmailOrItsNameIsRefused() {
    refused("password_is_email", "ana.garcia@example.com", "ana.garcia@example.com");
    refused("password_has_email", "my ana.garcia pass", "ana.garcia@example.com");
    refused("password_too_short", "short", "ana@example.com");
    refused("password_too_long", "x1y2z3".repeat(40), "ana@example.com");
    refused("password_too_short", null, "ana@example.com");
  }

  @Test
  void ordinaryPassphrasesPass() {
    for (String password : new String[] {"correct horse battery", "una contraseña larga", "tren-azul-de-madrid",
      "Bright lamp 7 on desk", "zq8#Lw2!pVn4"}) {
      assertDoesNotThrow(() -> policy.check(password, "ana@example.com"), password);
    }
  }
}
