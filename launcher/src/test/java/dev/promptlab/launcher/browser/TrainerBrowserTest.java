package dev.promptlab.launcher.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The trainer page in a real headless Chromium against the whole server: log in, upload a photo,
 * rate both variants with the keyboard, submit, watch the status, switch language, open the history
 * and its charts; as admin, evolve and promote a prompt version. Screenshots illustrate the manual.
 * The server is shared by the class; each test that rates logs in as a trainer of its own, so any test runs alone
 * or in any order.
 */
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

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  private void open(Chromium.Screen screen) throws Exception {
    driver = Chromium.start("es", screen);
    wait = new WebDriverWait(driver, Duration.ofSeconds(90));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
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

  private void waitForStatus() {
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status .progress-row strong")));
  }

  private void waitForStatus(String samples) {
    wait.until(d -> {
      List<WebElement> strong = d.findElements(By.cssSelector("#status .progress-row strong"));
      return !strong.isEmpty() && strong.get(0).getText().equals(samples);
    });
  }

  /** Uploads the room photo and waits for the comparison with every image loaded; answers the variants, left first. */
  private List<WebElement> upload() throws Exception {
    Path photo = RoomPhoto.write(Path.of("target", "browser-photos").toAbsolutePath(), 1024, 768);
    driver.findElement(By.id("image")).sendKeys(photo.toString());
    driver.findElement(By.id("upload-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-form")));
    wait.until(d -> js("return Array.from(document.querySelectorAll('#rate-form img'))"
      + ".every(i => i.complete && i.naturalWidth > 0)"));
    List<WebElement> variants = driver.findElements(By.cssSelector("#rate-form fieldset.variant"));
    assertEquals(2, variants.size());
    return variants;
  }

  /** The focused element's id, read in one step (an element looked up first may be swapped out before it is read). */
  private String focusedId() {
    return (String) js("return document.activeElement ? document.activeElement.id : null");
  }

  private void assertInViewport(String selector) {
    @SuppressWarnings("unchecked")
    List<Object> outside = (List<Object>) js("return Array.from(document.querySelectorAll(arguments[0]))"
      + ".map(e => e.getBoundingClientRect()).filter(r => r.top < 0 || r.bottom > window.innerHeight"
      + " || r.left < 0 || r.right > window.innerWidth).map(r => JSON.stringify(r))", selector);
    assertTrue(driver.findElements(By.cssSelector(selector)).size() > 0, selector);
    assertTrue(outside.isEmpty(), selector + " is not all in the window: " + outside);
  }

  /** The serious accessibility rules, and on a Spanish page nothing in another language. */
  private void assertAccessible(String page) {
    List<String> violations = PageChecks.accessibilityViolations(driver);
    violations.addAll(PageChecks.languageViolations(driver));
    assertTrue(violations.isEmpty(), page + ": " + String.join("\n", violations));
  }

  private void assertNoHorizontalScroll(String page) {
    assertEquals(0L, PageChecks.horizontalOverflow(driver), page + " is wider than the window");
  }

  private void key(CharSequence keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  @Test
  void aTrainerRatesInOneScreenByKeyboardInTheModeTheyChose() throws Exception {
    open(Chromium.Screen.DESKTOP);
    logIn(BrowserServer.newTrainer("teclado"), "01-inicio-de-sesion");
    waitForStatus();
    assertEquals("Subir y generar", driver.findElement(By.id("upload-submit")).getText());
    assertAccessible("trainer page");
    new Select(driver.findElement(By.id("mode"))).selectByValue("surfaces");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#status h2"), "Superficies"));
    // The count is the team's: other tests may have rated before this one.
    String rated = String.valueOf(Integer.parseInt(
      driver.findElement(By.cssSelector("#status .progress-row strong")).getText()) + 2);
    Chromium.screenshot(driver, "02-entrenar");

    List<WebElement> variants = upload();
    String left = variants.get(0).getAttribute("data-option");
    String right = variants.get(1).getAttribute("data-option");
    assertEquals("Superficies", driver.findElement(By.id("experiment-mode")).getText());
    assertEquals("Variante 1", variants.get(0).findElement(By.tagName("legend")).getText());
    assertEquals("Variante 2", variants.get(1).findElement(By.tagName("legend")).getText());
    assertTrue(driver.findElements(By.cssSelector("#rate-form .params")).isEmpty(), "no parameters for a trainer");
    Chromium.screenshot(driver, "03-variantes");
    assertEquals("rating-" + left + "-1", focusedId(), "the focus is on the first rating control");
    // Original, both variants, their stars, comments and the submit button: all in one 1440x900 window.
    assertInViewport("#rate-form img");
    assertInViewport("#rate-form .star-row");
    assertInViewport("#rate-form textarea");
    assertInViewport("#rate-submit");

    // One keyboard model: a digit rates the variant with the focus and moves on to the unrated one.
    key("4");
    assertTrue(driver.findElement(By.id("rating-" + left + "-4")).isSelected());
    assertTrue(focusedId().startsWith("rating-" + right + "-"), focusedId());
    assertTrue(variants.get(1).getAttribute("class").contains("active"));
    key("5");
    assertTrue(driver.findElement(By.id("rating-" + right + "-5")).isSelected());
    assertEquals("rating-" + right + "-5", focusedId(), "both rated: the focus stays on the rating just given");
    // On the stars, left lowers and right raises, as they look.
    key(Keys.ARROW_LEFT);
    assertTrue(driver.findElement(By.id("rating-" + right + "-4")).isSelected());
    key(Keys.ARROW_RIGHT);
    assertTrue(driver.findElement(By.id("rating-" + right + "-5")).isSelected());
    assertTrue(driver.findElement(By.id("level-" + right)).getText().startsWith("5 · No se distingue"),
      driver.findElement(By.id("level-" + right)).getText());
    assertTrue(driver.findElement(By.id("level-" + left)).getText().startsWith("4 · Muy realista"));

    WebElement comment = driver.findElement(By.id("comments-" + left));
    comment.click();
    String text = "Buena profundidad, la luz de la ventana algo plana. <script>alert(1)</script>";
    comment.sendKeys(text);
    assertTrue(variants.get(0).getAttribute("class").contains("active"), "the variant being typed in is outlined");
    assertFalse(variants.get(1).getAttribute("class").contains("active"));
    assertEquals(text.length() + " / 2000 caracteres", driver.findElement(By.id("count-" + left)).getText());
    assertTrue(driver.findElement(By.id("rating-" + left + "-4")).isSelected(), "typing digits in a comment rates nothing");
    assertAccessible("comparison");
    Chromium.screenshot(driver, "04-puntuacion");

    // The comparison viewer: the three images zoom and move together, a variant flips with the original,
    // a slider lays a variant over the original.
    driver.findElement(By.cssSelector("#rate-form .original .zoomable")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("zoom-panes")));
    List<WebElement> panes = driver.findElements(By.cssSelector("#zoom-panes .pane img"));
    assertEquals(3, panes.size());
    driver.findElement(By.id("zoom-in")).click();
    new Actions(driver).dragAndDropBy(panes.get(1), 60, 30).perform();
    List<String> transforms = panes.stream().map(i -> i.getCssValue("transform")).distinct().toList();
    assertEquals(List.of("matrix(1.5, 0, 0, 1.5, 60, 30)"), transforms, "zoomed and moved together");
    assertAccessible("comparison viewer");
    Chromium.screenshot(driver, "19-comparar");
    driver.findElement(By.id("flicker")).click();
    String original = panes.get(0).getAttribute("src");
    assertEquals(original, panes.get(1).getAttribute("src"));
    assertEquals(original, panes.get(2).getAttribute("src"));
    key("o");
    assertFalse(original.equals(panes.get(1).getAttribute("src")), "O flips back to the variant");
    driver.findElement(By.id("swipe-toggle")).click();
    assertTrue(driver.findElement(By.id("swipe")).isDisplayed());
    js("const r = document.getElementById('swipe-pos'); r.value = 30; r.dispatchEvent(new Event('input', {bubbles: true}))");
    assertEquals("inset(0px 0px 0px 30%)", driver.findElement(By.cssSelector("#swipe .over")).getCssValue("clip-path"));
    assertAccessible("slider");
    Chromium.screenshot(driver, "20-deslizador");
    key(Keys.ESCAPE);
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("zoom")));
    assertTrue(driver.findElement(By.id("rating-" + left + "-4")).isSelected(), "keys in the viewer rate nothing");

    new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#work .result")));
    waitForStatus(rated);
    assertEquals("image", focusedId(), "the next upload is ready");
    assertEquals("surfaces", new Select(driver.findElement(By.id("mode"))).getFirstSelectedOption()
      .getAttribute("value"), "the mode stays as chosen after a rating");
    assertTrue(driver.findElement(By.cssSelector("#status h2")).getText().contains("Superficies"));
    Chromium.screenshot(driver, "05-estado-actualizado");
    driver.navigate().refresh();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status h2")));
    assertEquals("surfaces", new Select(driver.findElement(By.id("mode"))).getFirstSelectedOption()
      .getAttribute("value"), "the mode is remembered for the trainer");
    waitForStatus(rated);

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
    assertEquals(0L, js("return document.querySelectorAll('.comment script').length"));
    // Thumbnails are small images made by the server, not the full renders scaled down by the browser.
    wait.until(d -> js("return Array.from(document.querySelectorAll('img.thumb'))"
      + ".every(i => i.complete && i.naturalWidth > 0)"));
    assertEquals(Boolean.TRUE, js("const t = Array.from(document.querySelectorAll('img.thumb'));"
      + " return t.length === 3 && t.every(i => i.src.endsWith('/thumbnail') && i.naturalWidth <= 320)"));
    assertAccessible("history (English)");
    Chromium.screenshot(driver, "07-historial");
    driver.findElement(By.cssSelector("a.lang")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Historial"));
    assertAccessible("history");
    Chromium.screenshot(driver, "08-historial-es");
  }

  @Test
  void thePageChecksInItsOwnLanguageAndWarnsBeforeAnUnratedPairIsLost() throws Exception {
    open(Chromium.Screen.DESKTOP);
    logIn(BrowserServer.newTrainer("validacion"), null);
    waitForStatus();
    driver.findElement(By.id("upload-submit")).click();
    WebElement noImage = driver.findElement(By.id("image-error"));
    assertTrue(noImage.isDisplayed());
    assertEquals("Elige primero un render (PNG o JPEG).", noImage.getText());
    assertEquals("image", focusedId());

    List<WebElement> variants = upload();
    String left = variants.get(0).getAttribute("data-option");
    String right = variants.get(1).getAttribute("data-option");
    String experiment = driver.findElement(By.name("experiment_id")).getAttribute("value");
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
    // Both messages at once, in Spanish, under the stars they are about; nothing was sent.
    WebElement leftError = driver.findElement(By.id("error-" + left));
    WebElement rightError = driver.findElement(By.id("error-" + right));
    assertTrue(leftError.isDisplayed() && rightError.isDisplayed());
    assertEquals("Puntúa esta variante de 1 a 5 estrellas antes de enviar.", leftError.getText());
    assertTrue(leftError.getRect().getY() > driver.findElement(By.id("rating-" + left + "-1")).getRect().getY(),
      "the message sits below the stars, not over them");
    assertEquals("rating-" + left + "-1", focusedId(), "the focus goes to the first unrated variant");
    assertTrue(driver.findElements(By.cssSelector("#work .result")).isEmpty());
    Chromium.screenshot(driver, "11-validacion");
    key("3");
    assertFalse(leftError.isDisplayed(), "a rating clears its message");
    assertTrue(rightError.isDisplayed());

    assertEquals(Boolean.TRUE, js("const e = new Event('beforeunload', {cancelable: true});"
      + " window.dispatchEvent(e); return e.defaultPrevented"), "leaving the page asks first");
    Path photo = RoomPhoto.write(Path.of("target", "browser-photos").toAbsolutePath(), 1024, 768);
    driver.findElement(By.id("image")).sendKeys(photo.toString());
    driver.findElement(By.id("upload-submit")).click();
    Alert replace = wait.until(ExpectedConditions.alertIsPresent());
    assertTrue(replace.getText().startsWith("Hay una pareja de variantes sin puntuar"), replace.getText());
    replace.dismiss();
    assertEquals(experiment, driver.findElement(By.name("experiment_id")).getAttribute("value"), "the pair stays");

    // The pair left behind waits in the history and is taken up from there. (The driver's own navigation
    // answers the leave warning itself, so the warning is checked through its event above.)
    driver.get(server.url("/history"));
    WebElement reopen = wait.until(ExpectedConditions.elementToBeClickable(
      By.cssSelector("li[id='" + experiment + "'] a.reopen")));
    assertAccessible("history with a pair to take up");
    reopen.click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-form")));
    assertEquals(experiment, driver.findElement(By.name("experiment_id")).getAttribute("value"));
    wait.until(d -> ("rating-" + left + "-1").equals(focusedId()));
    key("4");
    key("2");
    driver.findElement(By.id("rate-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#work .result")));
    assertEquals(Boolean.FALSE, js("const e = new Event('beforeunload', {cancelable: true});"
      + " window.dispatchEvent(e); return e.defaultPrevented"), "nothing is left to lose");

    // A pair that cannot be judged is set aside with a reason instead.
    upload();
    driver.findElement(By.cssSelector("details.skip summary")).click();
    new Select(driver.findElement(By.id("skip-reason"))).selectByValue("images_broken");
    assertAccessible("comparison with the set-aside choice open");
    Chromium.screenshot(driver, "18-apartar");
    driver.findElement(By.id("skip-submit")).click();
    WebElement skipped = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#work .result")));
    assertTrue(skipped.getText().contains("Pareja apartada."), skipped.getText());
    assertEquals(Boolean.FALSE, js("const e = new Event('beforeunload', {cancelable: true});"
      + " window.dispatchEvent(e); return e.defaultPrevented"));

    // Several renders at once: a preview of the first, the others queued and uploaded one by one.
    Path first = RoomPhoto.write(Path.of("target", "browser-photos", "one").toAbsolutePath(), 1024, 768);
    Path second = RoomPhoto.write(Path.of("target", "browser-photos", "two").toAbsolutePath(), 800, 600);
    driver.findElement(By.id("image")).sendKeys(first + "\n" + second);
    assertTrue(driver.findElement(By.cssSelector("#preview img")).isDisplayed(), "a preview of the chosen render");
    assertEquals("Imágenes en cola después de esta: 1. Cada una se sube al enviar las puntuaciones de la anterior.",
      driver.findElement(By.id("queue")).getText());
    Chromium.screenshot(driver, "21-cola");
    driver.findElement(By.id("upload-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-form")));
    String firstPair = driver.findElement(By.name("experiment_id")).getAttribute("value");
    wait.until(d -> focusedId() != null && focusedId().startsWith("rating-"));
    key("4");
    key("4");
    driver.findElement(By.id("rate-submit")).click();
    // Read in the page in one step: the work area is swapped twice meanwhile (result, then the next pair).
    wait.until(d -> {
      Object shown = js("const e = document.querySelector('#rate-form [name=experiment_id]'); return e && e.value");
      return shown instanceof String id && !id.equals(firstPair);
    });
    assertFalse(driver.findElement(By.id("queue")).isDisplayed(), "the queue is empty once the second is up");
    driver.findElement(By.cssSelector("details.skip summary")).click();
    driver.findElement(By.id("skip-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#work .result")));

    // A new token is copied with one click.
    ((ChromeDriver) driver).executeCdpCommand("Browser.grantPermissions", Map.of("permissions",
      List.of("clipboardReadWrite", "clipboardSanitizedWrite"), "origin", server.url("")));
    driver.get(server.url("/account"));
    driver.findElement(By.id("token-name")).sendKeys("script de pruebas");
    driver.findElement(By.cssSelector("#token-name ~ button, form[hx-post='/account/tokens'] button")).click();
    WebElement copy = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#new-token button.copy")));
    copy.click();
    wait.until(ExpectedConditions.textToBePresentInElement(copy, "Copiado"));
    assertEquals(driver.findElement(By.id("new-token-value")).getText(),
      js("return navigator.clipboard.readText()"), "the token is on the clipboard");

    driver.get(server.url("/no-such-page"));
    assertEquals("Página no encontrada", driver.findElement(By.tagName("h1")).getText());
    assertAccessible("404 page");
    // The checks do see what they look for.
    js("const p = document.createElement('p'); p.id = 'probe'; p.textContent = 'media 4.5, running';"
      + " p.appendChild(document.createElement('button')); p.style.color = '#bbb'; document.body.appendChild(p)");
    assertEquals(2, PageChecks.languageViolations(driver).size(), PageChecks.languageViolations(driver).toString());
    List<String> probe = PageChecks.accessibilityViolations(driver);
    assertTrue(probe.size() == 2 && probe.get(0).startsWith("button-name") && probe.get(1).startsWith("color-contrast"),
      probe.toString());
  }

  @Test
  void onAPhoneBothVariantsSitSideBySideAndNoPageScrollsSideways() throws Exception {
    open(Chromium.Screen.PHONE);
    driver.get(server.url("/login"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
    assertNoHorizontalScroll("login");
    assertAccessible("login on a phone");
    logIn(BrowserServer.newTrainer("movil"), null);
    waitForStatus();
    assertNoHorizontalScroll("trainer page");
    assertFalse(driver.findElement(By.cssSelector(".intro .kbd-hint")).isDisplayed(), "no keyboard hints on a phone");
    Chromium.screenshot(driver, "12-movil-entrenar");
    List<WebElement> variants = upload();
    assertEquals(variants.get(0).getRect().getY(), variants.get(1).getRect().getY(), "A and B side by side");
    assertNoHorizontalScroll("comparison");
    assertAccessible("comparison on a phone");
    Chromium.screenshot(driver, "13-movil-variantes");
    for (WebElement variant : variants) {
      variant.findElement(By.cssSelector(".star-row label:nth-of-type(4)")).click();
    }
    driver.findElement(By.id("rate-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#work .result")));
    for (String path : List.of("/history", "/account", "/no-such-page")) {
      driver.get(server.url(path));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
      assertNoHorizontalScroll(path);
      assertAccessible(path + " on a phone");
    }
    driver.get(server.url("/history"));
    Chromium.screenshot(driver, "14-movil-historial");
  }

  @Test
  void anAdminSeesWhyConfirmsByNameAndPromotesAPromptVersion() throws Exception {
    open(Chromium.Screen.DESKTOP);
    logIn(BrowserServer.ADMIN, null);
    driver.get(server.url("/admin"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("studies")));
    assertAccessible("admin overview");
    assertTrue(driver.findElement(By.id("studies")).getText().contains("Superficies"));
    Chromium.screenshot(driver, "09-admin-resumen");

    driver.get(server.url("/admin/prompts"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("versions")));
    assertAccessible("prompt versions");
    driver.findElement(By.id("evolve")).click();
    Alert evolve = wait.until(ExpectedConditions.alertIsPresent());
    assertTrue(evolve.getText().startsWith("¿Evolucionar el prompt ahora?"), evolve.getText());
    evolve.accept();
    wait.until(ExpectedConditions.urlContains("flash=evolved"));
    List<WebElement> promote = driver.findElements(By.cssSelector("#versions button[id^='promote-']"));
    assertFalse(promote.isEmpty(), "a version other than the current one exists after evolving");
    String version = promote.get(promote.size() - 1).getAttribute("id").substring("promote-".length());
    // The why of the evolution: the trigger and the issues the trainers' comments raised, in Spanish.
    String evolutions = driver.findElement(By.cssSelector("ol.evolutions")).getText();
    assertTrue(evolutions.contains("manual") && evolutions.contains("completada"), evolutions);
    assertAccessible("prompt versions after an evolution");
    Chromium.screenshot(driver, "10-admin-versiones");

    promote.get(promote.size() - 1).click();
    Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
    assertTrue(confirm.getText().startsWith("¿Hacer " + version + " la versión actual en lugar de v1.0.0?"),
      confirm.getText());
    confirm.accept();
    wait.until(ExpectedConditions.urlContains("flash=promoted"));
    WebElement current = driver.findElement(By.cssSelector("#versions tr.current th"));
    assertTrue(current.getText().startsWith(version), current.getText());
    assertEquals("Volver a v1.0.0", driver.findElement(By.id("rollback")).getText());
    Chromium.screenshot(driver, "15-version-promovida");

    driver.get(server.url("/admin/trainers"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("trainers")));
    assertAccessible("trainers");
    assertTrue(driver.findElement(By.id("trainers")).getText().contains(BrowserServer.TRAINER));
    Chromium.screenshot(driver, "16-admin-entrenadores");

    // Phase 2: the reward model page trains on demand and says, in Spanish, why a model is not used yet.
    driver.get(server.url("/admin/reward"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reward-state")));
    assertAccessible("reward model");
    driver.findElement(By.id("retrain")).click();
    wait.until(ExpectedConditions.urlContains("flash=retrained"));
    String models = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("models"))).getText();
    assertTrue(models.contains("Reuniendo datos"), models);
    assertAccessible("reward model after a training");
    Chromium.screenshot(driver, "22-admin-recompensa");
  }

  @Test
  void theAdminPagesFitAPhone() throws Exception {
    open(Chromium.Screen.PHONE);
    logIn(BrowserServer.ADMIN, null);
    for (String path : List.of("/admin", "/admin/trainers", "/admin/prompts", "/admin/reward", "/history",
        "/account", "/reset?code=no-such-code")) {
      driver.get(server.url(path));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
      assertNoHorizontalScroll(path);
      assertAccessible(path + " on a phone");
    }
    driver.get(server.url("/admin/prompts"));
    Chromium.screenshot(driver, "17-movil-admin");
  }
}
