package dev.promptlab.launcher.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (nothing is downloaded). Screenshots go
 * to {@code target/screenshots}, or to the directory named by {@code -Dscreenshots.dir} (the trainer manual's
 * pictures are refreshed with {@code -Dscreenshots.dir=../docs/screenshots}).
 */
final class Chromium {

  private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private Chromium() {
  }

  static Optional<String> browser() {
    return BROWSERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  static Optional<String> driver() {
    return DRIVERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  static boolean available() {
    return browser().isPresent() && driver().isPresent();
  }

  static final String MISSING = "Chromium is not installed, so the browser tests are skipped: "
    + "apt-get install -y chromium chromium-driver (.ci/run does this)";

  /** The window sizes the pages are checked at: a desktop and a phone (touch, no hover: what a phone reports). */
  enum Screen {
    DESKTOP(1440, 900, false), PHONE(390, 844, true);

    final int width;
    final int height;
    final boolean touch;

    Screen(int width, int height, boolean touch) {
      this.width = width;
      this.height = height;
      this.touch = touch;
    }
  }

  static WebDriver start(String lang) throws IOException {
    return start(lang, Screen.DESKTOP);
  }

  static WebDriver start(String lang, Screen screen) throws IOException {
    Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser().orElseThrow());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      "--disable-default-apps", "--user-data-dir=" + profile, "--lang=" + lang, "--force-device-scale-factor=1");
    // The viewport is emulated exactly (a headless window's size is not its viewport's); a phone also reports
    // touch input, so media queries on hover and pointer see what they see on a real phone.
    options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics", Map.of("width", screen.width,
      "height", screen.height, "pixelRatio", 1.0, "touch", screen.touch, "mobile", screen.touch)));
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(driver().orElseThrow())).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }

  static Path screenshot(WebDriver driver, String name) throws IOException {
    Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return file;
  }
}
