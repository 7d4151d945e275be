package dev.promptlab.launcher.browser;

import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Checks every page must pass, run in the browser on the page as rendered: no horizontal scrolling, and the serious
 * accessibility rules (the ones axe-core rates serious or critical that apply to server-rendered pages): the
 * document's language, one {@code <h1>} and no skipped heading level, a label for every form control, a name for
 * every button and link, a text alternative for every image, unique ids, a focus order that follows the document (no
 * positive {@code tabindex}), and text contrast of WCAG 2 AA (4.5:1,
 * 3:1 for large text) against the background actually painted behind the text.
 */
final class PageChecks {

  private PageChecks() {
  }

  /** How much wider than the window the page is, in CSS pixels (0 when it fits). */
  static long horizontalOverflow(WebDriver driver) {
    return (Long) ((JavascriptExecutor) driver).executeScript(
      "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)");
  }

  /** The violations found, one line each ("rule: element: detail"); empty when the page passes. */
  @SuppressWarnings("unchecked")
  static List<String> accessibilityViolations(WebDriver driver) {
    return new ArrayList<>((List<String>) ((JavascriptExecutor) driver).executeScript(SCRIPT));
  }

  /**
   * On a Spanish page, the visible text that is not Spanish: numbers with a decimal point instead of a comma, and
   * words that give English (or a template's raw value) away. Text marked with its own {@code lang}, trainers'
   * comments and quotes, code, e-mail addresses and version names are content, not the page's language.
   */
  @SuppressWarnings("unchecked")
  static List<String> languageViolations(WebDriver driver) {
    return new ArrayList<>((List<String>) ((JavascriptExecutor) driver).executeScript(LANGUAGE_SCRIPT));
  }

  private static final String LANGUAGE_SCRIPT = """
    if (document.documentElement.getAttribute('lang') !== 'es') return [];
    const english = /\\b(the|and|of|failed|not|found|running|decided|kept|periodic|override|sibling|samples|optimizer|evolution|rating|ratings|structure|surfaces|status|pending|unknown|invalid|request|forbidden|upload|submit|none|null|true|false|undefined|NaN)\\b/i;
    const pointDecimal = /(^|[^\\w.])\\d+\\.\\d+(?![\\w.])/;
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      const text = node.textContent.replace(/\\s+/g, ' ').trim();
      if (!text || !el || el.closest('[lang]:not(html), .comment, q, code, pre, .prompt, .rater, script, style, option, [hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const withoutEmails = text.replace(/\\S+@\\S+/g, '');
      const word = withoutEmails.match(english);
      if (word) problems.push('english: "' + word[0] + '" in "' + text.substring(0, 60) + '"');
      if (pointDecimal.test(withoutEmails)) problems.push('decimal point: "' + text.substring(0, 60) + '"');
    }
    return problems;
    """;

  private static final String SCRIPT = """
    const problems = [];
    const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const visible = el => {
      if (el.closest('[hidden], template')) return false;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 || r.height > 0 || el.closest('.visually-hidden') !== null;
    };
    const text = el => (el.textContent || '').replace(/\\s+/g, ' ').trim();
    const byIds = ids => ids.split(/\\s+/).map(id => document.getElementById(id)).filter(Boolean).map(text).join(' ').trim();
    const name = el => {
      if (el.getAttribute('aria-labelledby')) return byIds(el.getAttribute('aria-labelledby'));
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
      const own = text(el);
      if (own) return own;
      const img = el.querySelector('img[alt]');
      return img ? img.getAttribute('alt').trim() : (el.getAttribute('title') || '').trim();
    };

    const lang = document.documentElement.getAttribute('lang');
    if (!lang || !/^(es|en)$/.test(lang)) problems.push('html-has-lang: html: lang is ' + lang);
    if (!document.title.trim()) problems.push('document-title: the page has no title');

    const h1 = Array.from(document.querySelectorAll('h1')).filter(visible);
    if (h1.length !== 1) problems.push('page-has-heading-one: ' + h1.length + ' visible h1');
    let last = 0;
    document.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(h => {
      if (!visible(h)) return;
      const level = Number(h.tagName.substring(1));
      if (last && level > last + 1) problems.push('heading-order: ' + describe(h) + ': h' + level + ' after h' + last);
      last = level;
    });

    document.querySelectorAll('[tabindex]').forEach(el => {
      if (Number(el.getAttribute('tabindex')) > 0) problems.push('tabindex: ' + describe(el) + ' changes the focus order');
    });

    const ids = new Map();
    document.querySelectorAll('[id]').forEach(el => ids.set(el.id, (ids.get(el.id) || 0) + 1));
    ids.forEach((count, id) => { if (count > 1) problems.push('duplicate-id: #' + id + ' ' + count + ' times'); });

    document.querySelectorAll('input, select, textarea').forEach(el => {
      if (el.type === 'hidden') return;
      const labelled = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
        || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) problems.push('label: ' + describe(el) + ' has no label');
    });
    document.querySelectorAll('button, a[href], summary, [role=button]').forEach(el => {
      if (!name(el)) problems.push('button-name/link-name: ' + describe(el) + ' has no name');
    });
    document.querySelectorAll('img').forEach(el => {
      if (!el.hasAttribute('alt') && el.getAttribute('role') !== 'presentation') problems.push('image-alt: ' + describe(el));
    });
    document.querySelectorAll('svg[role=img]').forEach(el => {
      if (!name(el)) problems.push('svg-img-alt: ' + describe(el));
    });

    const rgba = value => {
      const m = value.match(/rgba?\\(([^)]+)\\)/);
      if (!m) return null;
      const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
    };
    const over = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
    const background = el => {
      const layers = [];
      for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.backgroundImage && style.backgroundImage !== 'none') return null;
        const c = rgba(style.backgroundColor);
        if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
      }
      let colour = { r: 255, g: 255, b: 255, a: 1 };
      for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
      return colour;
    };
    const luminance = c => {
      const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const contrast = (a, b) => {
      const x = luminance(a), y = luminance(b);
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const checked = new Set();
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || checked.has(el) || el.closest('svg, option, script, style, .visually-hidden')) continue;
      checked.add(el);
      if (!visible(el) || el.closest('[disabled], [aria-disabled=true]')) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = rgba(style.color);
      if (!bg || !fg) continue;
      const ratio = contrast(over(fg, bg), bg);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      if (ratio + 1e-6 < needed) {
        problems.push('color-contrast: ' + describe(el) + ' "' + text(el).substring(0, 40) + '": '
          + ratio.toFixed(2) + ':1, needs ' + needed + ':1');
      }
    }
    return problems;
    """;
}
