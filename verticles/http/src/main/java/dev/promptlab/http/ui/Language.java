package dev.promptlab.http.ui;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Which language a page is rendered in: {@code ?lang=} (remembered in a cookie), else the cookie,
 * else the {@code lang} of the page htmx was loaded from, else Spanish.
 */
public final class Language {

  static final String COOKIE = "lang";

  private Language() {
  }

  public static String of(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String asked = request.getParam("lang");
    if (known(asked)) {
      ctx.response().addCookie(Cookie.cookie(COOKIE, asked).setPath("/").setMaxAge(365L * 24 * 3600)
        .setSameSite(CookieSameSite.LAX).setHttpOnly(true));
      return asked;
    }
    Cookie cookie = request.getCookie(COOKIE);
    if (cookie != null && known(cookie.getValue())) {
      return cookie.getValue();
    }
    String fromPage = fromQuery(request.getHeader("HX-Current-URL"));
    return known(fromPage) ? fromPage : Messages.DEFAULT_LANGUAGE;
  }

  private static boolean known(String lang) {
    return lang != null && Messages.LANGUAGES.contains(lang);
  }

  private static String fromQuery(String url) {
    if (url == null) {
      return null;
    }
    try {
      String query = new URI(url).getRawQuery();
      if (query == null) {
        return null;
      }
      for (String pair : query.split("&")) {
        if (pair.startsWith("lang=")) {
          return pair.substring(5);
        }
      }
    } catch (URISyntaxException e) {
      return null;
    }
    return null;
  }
}
