package dev.promptlab.launcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The trainer page in a real headless Chromium against the whole server: log in, upload a photo,
 * rate both variants with the keyboard, submit, watch the status, switch language, open the history
 * and its charts; as admin, evolve and promote a prompt version. Screenshots illustrate the manual.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BlockedThreadGuard.class)
class TrainerBrowserTest {

  private static BrowserServer server;
  private WebDriver driver;
  private WebDriverWait wait;

  @BeforeAll
  static void startServer() throws Exception {
    Assumptions.assumeTrue(Chromium.available(), Chromium.MISSING);
    server = BrowserServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void openBrowser() throws Exception {
    driver = Chromium.start("es");
    wait = new WebDriverWait(driver, Duration.ofSeconds(90));
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  private void logIn(String email, String screenshot) throws Exception {
    driver.get(server.url("/"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    assertTrue(driver.getCurrentUrl().contains("/login"), driver.getCurrentUrl());
    driver.findElement(By.id("email")).sendKeys(email);
    driver.findElement(By.id("password")).sendKeys(BrowserServer.PASSWORD);
    if (screenshot != null) {
      Chromium.screenshot(driver, screenshot);
    }
    driver.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[hx-headers]")));
  }

  private void waitForStatus(String samples) {
    wait.until(d -> {
      List<WebElement> strong = d.findElements(By.cssSelector("#status .progress-row strong"));
      return !strong.isEmpty() && strong.get(0).getText().equals(samples);
    });
  }

  @Test
  @Order(1)
  void aTrainerRatesByKeyboardAndSeesTheStatusHistoryAndCharts() throws Exception {
    logIn(BrowserServer.TRAINER, "01-inicio-de-sesion");
    waitForStatus("0");
    assertEquals("Subir y generar", driver.findElement(By.id("upload-submit")).getText());
    Chromium.screenshot(driver, "02-entrenar");

    Path photo = RoomPhoto.write(Path.of("target", "browser-photos").toAbsolutePath(), 1024, 768);
    driver.findElement(By.id("image")).sendKeys(photo.toString());
    driver.findElement(By.id("upload-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-form")));
    wait.until(d -> ((JavascriptExecutor) d).executeScript(
      "return Array.from(document.querySelectorAll('#rate-form img')).every(i => i.complete && i.naturalWidth > 0)"));
    List<WebElement> variants = driver.findElements(By.cssSelector("#rate-form fieldset.variant"));
    assertEquals(2, variants.size());
    ((JavascriptExecutor) driver).executeScript("document.getElementById('rate-form').scrollIntoView()");
    Chromium.screenshot(driver, "03-variantes");

    // Keyboard only: 4 for the variant on the left, 5 for the one on the right, a comment, Ctrl+Enter.
    new Actions(driver).sendKeys("4").pause(Duration.ofMillis(150)).sendKeys("5").perform();
    String left = variants.get(0).getAttribute("data-option");
    String right = variants.get(1).getAttribute("data-option");
    assertTrue(driver.findElement(By.id("rating-" + left + "-4")).isSelected());
    assertTrue(driver.findElement(By.id("rating-" + right + "-5")).isSelected());
    WebElement comment = driver.findElement(By.id("comments-" + left));
    comment.click();
    comment.sendKeys("Buena profundidad, la luz de la ventana algo plana. <script>alert(1)</script>");
    ((JavascriptExecutor) driver).executeScript("document.getElementById('rate-form').scrollIntoView()");
    Chromium.screenshot(driver, "04-puntuacion");
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#work .result")));
    waitForStatus("2");
    assertTrue(driver.findElement(By.id("image")).equals(driver.switchTo().activeElement()),
      "the next upload is ready");
    Chromium.screenshot(driver, "05-estado-actualizado");

    driver.findElement(By.cssSelector("a.lang")).click();
    wait.until(ExpectedConditions.textToBe(By.id("upload-submit"), "Upload and generate"));
    assertEquals("en", driver.findElement(By.tagName("html")).getAttribute("lang"));
    Chromium.screenshot(driver, "06-english");

    driver.findElement(By.cssSelector("nav a[href='/history']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("chart-trend")));
    assertEquals(2, driver.findElements(By.cssSelector("#chart-trend circle")).size());
    assertEquals(2, driver.findElements(By.cssSelector("#chart-strength circle")).size());
    assertTrue(driver.findElement(By.cssSelector(".comment")).getText().contains("<script>alert(1)</script>"),
      "the comment is shown as text");
    assertEquals(0L, ((JavascriptExecutor) driver).executeScript(
      "return document.querySelectorAll('.comment script').length"));
    Chromium.screenshot(driver, "07-historial");
    driver.findElement(By.cssSelector("a.lang")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Historial"));
    Chromium.screenshot(driver, "08-historial-es");
  }

  @Test
  @Order(2)
  void anAdminEvolvesAndPromotesAPromptVersion() throws Exception {
    logIn(BrowserServer.ADMIN, null);
    driver.get(server.url("/admin/prompts"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("versions")));
    driver.findElement(By.id("evolve")).click();
    wait.until(ExpectedConditions.urlContains("flash=evolved"));
    List<WebElement> promote = driver.findElements(By.cssSelector("#versions button[id^='promote-']"));
    assertFalse(promote.isEmpty(), "a version other than the current one exists after evolving");
    String version = promote.get(promote.size() - 1).getAttribute("id").substring("promote-".length());
    Chromium.screenshot(driver, "09-admin-versiones");
    promote.get(promote.size() - 1).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(ExpectedConditions.urlContains("flash=promoted"));
    WebElement current = driver.findElement(By.cssSelector("#versions tr.current th"));
    assertTrue(current.getText().startsWith(version), current.getText());
    Chromium.screenshot(driver, "10-version-promovida");
  }
}
