package dev.promptlab.launcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunBest;
import dev.promptlab.contract.TextRunCandidate;
import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.contract.TextRunIteration;
import dev.promptlab.contract.TextRunProgress;
import dev.promptlab.contract.TextRunSettings;
import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
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

  private static BrowserServer server;
  private WebDriver driver;
  private WebDriverWait wait;

  @BeforeAll
  static void startServer() throws Exception {
    Assumptions.assumeTrue(Chromium.available(), Chromium.MISSING);
    server = BrowserServer.start();
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

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
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
   * A run's page, live then finished, on a desktop and on a phone. The textopt verticle does not run optimisations on
   * this branch yet, so the run is answered, in the contract's records, by a consumer on the server's bus; once the
   * real verticle answers the run addresses this test is skipped and is to be pointed at a real run.
   */
  @Test
  void aRunPageFollowsItsRunLiveInSpanishAndFitsAPhone() throws Exception {
    EventBus bus = server.bus();
    Throwable probe = Await.await(bus.request(Addresses.TEXTOPT_RUN_SHOW, new RecordId(999_999, null).toJson())
      .transform(Future::succeededFuture), 30).cause();
    Assumptions.assumeTrue(probe instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS,
      "the textopt verticle answers runs now: point this test at a real run");
    open(Chromium.Screen.DESKTOP, BrowserServer.TRAINER);
    createPrompt("ciudades para optimizar");
    String promptPath = driver.getCurrentUrl().replaceAll("^.*(/text/prompts/\\d+).*$", "$1");
    long promptId = Long.parseLong(promptPath.substring(promptPath.lastIndexOf('/') + 1));
    AtomicReference<TextRun> run = new AtomicReference<>(running(promptId));
    MessageConsumer<JsonObject> answers = bus.<JsonObject>consumer(Addresses.TEXTOPT_RUN_SHOW,
      message -> message.reply(run.get().toJson()));
    Await.await(answers.completion(), 30);
    try {
      driver.get(server.url("/text/runs/1"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-progress")));
      assertFitsAndReads("a running run");
      Chromium.screenshot(driver, "29-texto-optimizacion-en-curso");
      run.set(finished(promptId));
      // The page polls its live part; the run's end arrives without a reload and the polling stops.
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-status"), "objetivo alcanzado"));
      assertTrue(driver.findElements(By.id("run-progress")).isEmpty());
      assertEquals(null, driver.findElement(By.id("run-live")).getAttribute("hx-trigger"));
      assertTrue(driver.findElement(By.id("run-promote")).getText().contains("Hacer vigente la versión 1"));
      assertFitsAndReads("a finished run");
      Chromium.screenshot(driver, "30-texto-optimizacion");
      driver.quit();
      driver = null;
      open(Chromium.Screen.PHONE, BrowserServer.TRAINER);
      driver.get(server.url("/text/runs/1"));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-chart")));
      assertFitsAndReads("a finished run on a phone");
      Chromium.screenshot(driver, "31-movil-texto-optimizacion");
    } finally {
      Await.await(answers.unregister(), 30);
    }
  }

  private static TextRunSettings settings(long promptId) {
    return new TextRunSettings(1, promptId, "exact_match", null, 0.9, 3, 10, 2, 2.0, 0.01);
  }

  private static TextRun running(long promptId) {
    return new TextRun(1, TextRun.RUNNING, null, settings(promptId), 0.0123, 1500,
      new TextRunProgress("candidates", 12, 40), List.of(), null, null, BrowserServer.TRAINER,
      "2026-12-07T09:30:00Z", null);
  }

  private static TextRun finished(long promptId) {
    TextRunIteration first = new TextRunIteration(1, 2, new JsonObject().put("exact_match", 0.55), 0.01, 1200,
      List.of(new TextRunCandidate(3, new JsonObject().put("exact_match", 0.7), 0.12, true, true),
        new TextRunCandidate(4, null, 0.02, false, false)),
      List.of(new TextRunFailure("c2", "¿Dónde está Lima?", "Perú", "Lima está en Perú.", 0.0),
        new TextRunFailure("c7", "¿Capital de Japón?", "Tokio", "La capital es Tokio", 0.0)));
    TextRunIteration second = new TextRunIteration(2, 3, new JsonObject().put("exact_match", 0.7), 0.008, 900,
      List.of(new TextRunCandidate(1, new JsonObject().put("exact_match", 0.92), null, true, true)), List.of());
    TextRunIteration third = new TextRunIteration(3, 1, new JsonObject().put("exact_match", 0.92), 0.001, 300,
      List.of(), List.of());
    return new TextRun(1, TextRun.SUCCEEDED, "threshold", settings(promptId), 0.019, 2400,
      new TextRunProgress("finished", 0, 0), List.of(first, second, third),
      new TextRunBest(1, new JsonObject().put("exact_match", 0.92)), null, BrowserServer.TRAINER,
      "2026-12-07T09:30:00Z", "2026-12-07T09:41:00Z");
  }
}
