package dev.promptlab.launcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeChatCompletions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The text platform's pages in a real headless Chromium against the whole server (the real textopt verticle): a
 * dataset uploaded through the form with its refused rows explained, a prompt created, given a new version and
 * compared, the runs' form; in Spanish, on a desktop and on a phone, each page held to the accessibility and
 * one-language checks. Screenshots illustrate the manual.
 */
@ExtendWith(BlockedThreadGuard.class)
class TextPagesBrowserTest {

  private static FakeChatCompletions models;
  private static BrowserServer server;
  private WebDriver driver;
  private WebDriverWait wait;

  @BeforeAll
  static void startServer() throws Exception {
    Assumptions.assumeTrue(Chromium.available(), Chromium.MISSING);
    // The task model answers right only when its prompt says "exactly"; the optimizer proposes such a prompt. No key:
    // a local server without one is configured exactly like this.
    models = new FakeChatCompletions(null);
    models.otherwise((request, body) -> {
      String content;
      if ("optimizer-model".equals(body.getString("model"))) {
        content = new JsonObject().put("candidates", new JsonArray().add(new JsonObject()
          .put("system_prompt", "Give exactly the capital.").put("output_prompt", "").put("rationale", "precise")))
          .encode();
      } else {
        JsonArray messages = body.getJsonArray("messages");
        String input = messages.getJsonObject(1).getString("content");
        String capital = CAPITALS.getOrDefault(input, "?");
        content = messages.getJsonObject(0).getString("content").contains("exactly") ? capital
          : "I think it is " + capital;
      }
      FakeChatCompletions.completion(content).send(request, body);
    });
    JsonObject task = new JsonObject().put("base_url", models.baseUrl()).put("model", "task-model")
      .put("max_attempts", 1);
    server = BrowserServer.start(Map.of("PROMPTLAB__TEXTOPT__TASK_MODEL", task.encode(),
      "PROMPTLAB__TEXTOPT__OPTIMIZER_MODEL", task.copy().put("model", "optimizer-model").encode(),
      "PROMPTLAB__TEXTOPT__STEP_RETRY_DELAY_MS", "0"));
    warmUp();
  }

  /**
   * Runs the request paths once before the blocked-thread guard watches a test: their first use links lambdas and
   * loads classes on the event loop, a one-time cost of a fresh JVM rather than blocking code.
   */
  private static void warmUp() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : List.of("/login", "/text/datasets", "/trainer.css", "/webjars/htmx.org/2.0.10/dist/htmx.min.js")) {
      http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url(path))).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    }
  }

  private static final Map<String, String> CAPITALS = Map.of("France", "Paris", "Peru", "Lima", "Chile", "Santiago",
    "Spain", "Madrid");

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
    if (models != null) {
      models.close();
    }
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  private void open(Chromium.Screen screen, String email) throws Exception {
    driver = Chromium.start("es", screen);
    wait = new WebDriverWait(driver, Duration.ofSeconds(90));
    driver.get(server.url("/text/datasets"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("password")).sendKeys(BrowserServer.PASSWORD);
    driver.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dataset-form")));
  }

  private void assertFitsAndReads(String page) {
    assertEquals(0L, PageChecks.horizontalOverflow(driver), page + " is wider than the window");
    List<String> violations = PageChecks.accessibilityViolations(driver);
    violations.addAll(PageChecks.languageViolations(driver));
    assertTrue(violations.isEmpty(), page + ": " + String.join("\n", violations));
  }

  /** Uploads a small dataset with two bad rows through the form; answers the dataset page's path. */
  private String uploadDataset(String name) throws Exception {
    Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "capitales-", ".jsonl");
    Files.writeString(file, """
      {"id": "c1", "input": "France", "expected": "Paris"}
      {"id": "c2", "input": "Peru", "expected": "Lima"}
      {"id": "c3", "input": "Japan"}
      {"id": "c2", "input": "Chile", "expected": "Santiago"}
      {"id": "c5", "input": "Spain", "expected": "Madrid"}
      """, StandardCharsets.UTF_8);
    driver.findElement(By.id("dataset-name")).sendKeys(name);
    driver.findElement(By.id("dataset-file")).sendKeys(file.toString());
    driver.findElement(By.id("dataset-ratio")).sendKeys("0,4");
    driver.findElement(By.id("dataset-upload")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("refused")));
    return driver.getCurrentUrl();
  }

  private void createPrompt(String name) {
    driver.get(server.url("/text/prompts"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("prompt-form")));
    driver.findElement(By.id("prompt-name")).sendKeys(name);
    driver.findElement(By.id("prompt-system")).sendKeys("Extrae el nombre de la ciudad.\nResponde breve.");
    driver.findElement(By.id("prompt-create")).click();
    wait.until(ExpectedConditions.urlContains("flash=tprompt_created"));
    driver.findElement(By.id("prompt-system")).clear();
    driver.findElement(By.id("prompt-system")).sendKeys("Extrae el nombre de la ciudad.\nResponde solo con el nombre.");
    driver.findElement(By.id("prompt-output")).sendKeys("{\"ciudad\": \"...\"}");
    driver.findElement(By.id("prompt-save")).click();
    wait.until(ExpectedConditions.urlContains("flash=tprompt_saved"));
  }

  @Test
  void aDatasetAndAPromptAreMadeThroughThePagesAndReadInSpanish() throws Exception {
    open(Chromium.Screen.DESKTOP, BrowserServer.TRAINER);
    assertFitsAndReads("datasets");
    uploadDataset("capitales");
    String refused = driver.findElement(By.id("refused")).getText();
    assertTrue(refused.contains("Falta expected.") && refused.contains("id c2 repetido (ya estaba en la línea 2)."),
      refused);
    assertFitsAndReads("a dataset's report");
    Chromium.screenshot(driver, "23-texto-conjunto");
    driver.get(server.url("/text/datasets"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("datasets")));
    assertFitsAndReads("datasets with one");
    Chromium.screenshot(driver, "24-texto-conjuntos");

    createPrompt("ciudades");
    String diff = driver.findElement(By.id("diff")).getText();
    assertTrue(diff.contains("− Responde breve.") && diff.contains("+ Responde solo con el nombre."), diff);
    assertFitsAndReads("a prompt with two versions");
    Chromium.screenshot(driver, "25-texto-prompt");
    new Select(driver.findElement(By.id("diff-from"))).selectByValue("2");
    new Select(driver.findElement(By.id("diff-to"))).selectByValue("1");
    driver.findElement(By.id("diff-show")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("diff"), "+ Responde breve."));

    driver.get(server.url("/text/runs"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-form")));
    assertFitsAndReads("runs");
    Chromium.screenshot(driver, "26-texto-optimizaciones");
  }

  @Test
  void theTextPagesFitAPhone() throws Exception {
    open(Chromium.Screen.PHONE, BrowserServer.newTrainer("texto-movil"));
    assertFitsAndReads("datasets on a phone");
    String dataset = uploadDataset("capitales en el móvil");
    assertFitsAndReads("a dataset's report on a phone");
    Chromium.screenshot(driver, "27-movil-texto-conjunto");
    createPrompt("ciudades en el móvil");
    assertFitsAndReads("a prompt on a phone");
    Chromium.screenshot(driver, "28-movil-texto-prompt");
    for (String path : List.of("/text/prompts", "/text/runs", dataset.substring(dataset.indexOf("/text/")))) {
      driver.get(server.url(path));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
      assertFitsAndReads(path + " on a phone");
    }
  }

  /**
   * A real run (the textopt verticle against the fake models) started from the form and followed on its page until
   * it reaches the threshold, its best version promoted; on a desktop and on a phone.
   */
  @Test
  void aRunStartedFromTheFormIsFollowedToItsEndAndItsBestVersionPromoted() throws Exception {
    open(Chromium.Screen.DESKTOP, BrowserServer.newTrainer("optimiza"));
    uploadDataset("capitales para optimizar");
    createPrompt("ciudades para optimizar");
    driver.get(server.url("/text/runs"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-form")));
    new Select(driver.findElement(By.id("run-dataset"))).selectByVisibleText("capitales para optimizar");
    new Select(driver.findElement(By.id("run-prompt"))).selectByVisibleText("ciudades para optimizar");
    new Select(driver.findElement(By.id("run-metric"))).selectByValue("exact_match");
    driver.findElement(By.id("run-iterations")).clear();
    driver.findElement(By.id("run-iterations")).sendKeys("3");
    driver.findElement(By.id("run-start")).click();
    wait.until(ExpectedConditions.urlContains("flash=run_started"));
    // The page polls its live part; the run's end arrives without a reload, and the polling stops with it.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-status"), "objetivo alcanzado"));
    assertTrue(driver.findElements(By.id("run-progress")).isEmpty());
    assertNull(driver.findElement(By.id("run-live")).getAttribute("hx-trigger"));
    String failures = driver.findElement(By.id("iterations")).getText();
    assertTrue(failures.contains("Iteración 1"), failures);
    WebElement promote = driver.findElement(By.id("run-promote"));
    assertEquals("Hacer vigente la versión 3", promote.getText());
    assertFitsAndReads("a finished run");
    Chromium.screenshot(driver, "29-texto-optimizacion");
    String page = driver.getCurrentUrl().replaceAll("\\?.*$", "");

    promote.click();
    Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
    assertTrue(confirm.getText().startsWith("¿Hacer vigente la versión 3 de este prompt en lugar de la 2?"),
      confirm.getText());
    confirm.accept();
    wait.until(ExpectedConditions.urlContains("flash=run_promoted"));
    assertTrue(driver.findElements(By.id("run-promote")).isEmpty(), "the best version is current now");
    assertFitsAndReads("a promoted run");

    driver.quit();
    driver = null;
    open(Chromium.Screen.PHONE, BrowserServer.newTrainer("optimiza-movil"));
    driver.get(page);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-chart")));
    assertFitsAndReads("a finished run on a phone");
    Chromium.screenshot(driver, "30-movil-texto-optimizacion");
    driver.get(server.url("/text/runs"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
    assertFitsAndReads("runs on a phone");
  }
}
