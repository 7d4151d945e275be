package dev.promptlab.http.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NextPathTest {

  @Test
  void pathsOfThisSiteAreKept() {
    for (String path : new String[] {"/", "/history", "/history?mode=structure&limit=20", "/admin/prompts#ab",
      "/ui/status?lang=en", "/account%3Fx"}) {
      assertEquals(path, NextPath.sameSite(path));
    }
  }

  @Test
  void anythingThatCouldLeaveTheSiteGoesHome() {
    for (String next : new String[] {null, "", "history", "https://evil.example/", "//evil.example/x",
      "/\t/127.0.0.1:8192/pwned.html", "/%09/127.0.0.1:8192/pwned.html", "/\n/evil.example", "/\r\nSet-Cookie: a=b",
      "/%0d%0aSet-Cookie:%20a=b", "/\\evil.example", "\\\\evil.example", "/%5Cevil.example", "/%2F/evil.example",
      "/a//b", "/ /evil.example", "/\u00a0/evil.example", "/\u200b/evil.example", "/\u2028x", "/%E2%80%8B/x",
      "/%zz", "/login", "/login?next=//evil.example", "/" + "a".repeat(NextPath.MAX_CHARS)}) {
      assertEquals("/", NextPath.sameSite(next), String.valueOf(next));
    }
  }
}
