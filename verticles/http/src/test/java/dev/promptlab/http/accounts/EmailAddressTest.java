package dev.promptlab.http.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class EmailAddressTest {

  @Test
  void compatibilityFormsAndCaseBecomeOneSpelling() {
    assertEquals("ana@example.com", EmailAddress.normalise("  Ana@Example.COM "));
    assertEquals("ana@example.com", EmailAddress.normalise("\uFF21na@\uFF45xample.com"), "full-width letters");
    assertEquals("fin@example.com", EmailAddress.normalise("\uFB01n@example.com"), "ligature");
  }

  @Test
  void invisibleAndControlCharactersAreRefused() {
    for (String email : new String[] {"a\u200bna@example.com", "ana\u200d@example.com", "\ufeffana@example.com",
      "ana@exa\u2060mple.com", "an\u00ada@example.com", "ana\u0007@example.com", "ana@example.com\u0000x",
      "an a@example.com", "ana@exam\u2028ple.com", "a\u202ena@example.com", "an\u3164a@example.com"}) {
      assertNull(EmailAddress.normalise(email), email);
    }
    assertNull(EmailAddress.normalise(null));
    assertNull(EmailAddress.normalise("two@@signs.com"));
    assertNull(EmailAddress.normalise("x".repeat(320) + "@example.com"));
  }
}
