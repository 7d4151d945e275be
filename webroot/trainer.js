// PromptLab trainer page behaviour: drag-and-drop upload, zoom, rating by keyboard, the page's own validation,
// a warning before an unrated pair is left. No dependencies beyond htmx; the forms work without this file
// (the server checks everything again and answers in the page's language).
//
// The keyboard model: the variant that holds the focus is the active one (it is outlined). 1–5 rates it and
// moves the focus to the next variant without a rating; on the stars ←/→ lower or raise the rating (they are
// ordinary radio buttons, 1 on the left); Tab reaches the comment and then the other variant; Ctrl+Enter submits.
(function () {
  'use strict';

  function rateForm() { return document.getElementById('rate-form'); }

  function variants() {
    return Array.prototype.slice.call(document.querySelectorAll('#rate-form fieldset.variant'))
      .filter(function (v) { return v.querySelector('input[type=radio]'); });
  }

  function variantOf(element) {
    return element && element.closest ? element.closest('#rate-form fieldset.variant') : null;
  }

  function rated(variant) { return !!variant.querySelector('input[type=radio]:checked'); }

  function markActive(variant) {
    variants().forEach(function (v) { v.classList.toggle('active', v === variant); });
  }

  function focusStars(variant) {
    var radio = variant.querySelector('input[type=radio]:checked') || variant.querySelector('input[type=radio]');
    if (radio) { radio.focus(); }
  }

  /** The unrated pair still on screen, if any: ratings not yet submitted would be lost by leaving. */
  function unratedPair() {
    return rateForm() !== null && variants().length > 0;
  }

  function showLevel(variant, radio) {
    var level = variant.querySelector('.level');
    if (level) { level.textContent = radio ? radio.getAttribute('data-rubric') : level.getAttribute('data-empty'); }
  }

  function setError(variant, shown) {
    var error = variant.querySelector('.field-error');
    if (!error) { return; }
    error.hidden = !shown;
    variant.querySelectorAll('input[type=radio]').forEach(function (r) {
      if (shown) { r.setAttribute('aria-invalid', 'true'); } else { r.removeAttribute('aria-invalid'); }
    });
  }

  /** Every unrated variant gets its message at once; the focus goes to the first of them. */
  function validate() {
    var missing = variants().filter(function (v) { return !rated(v); });
    variants().forEach(function (v) { setError(v, missing.indexOf(v) >= 0); });
    if (missing.length) { focusStars(missing[0]); }
    return missing.length === 0;
  }

  function typing(target) {
    return target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
      || (target.tagName === 'INPUT' && /^(text|email|password|number|search)$/.test(target.type)));
  }

  document.addEventListener('focusin', function (event) {
    var variant = variantOf(event.target);
    if (variant) { markActive(variant); }
  });

  document.addEventListener('keydown', function (event) {
    var form = rateForm();
    if (!form) { return; }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      htmx.trigger(form, 'submit');
      return;
    }
    if (typing(event.target) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (/^[1-5]$/.test(event.key)) {
      var list = variants();
      if (!list.length) { return; }
      var variant = variantOf(document.activeElement)
        || list.filter(function (v) { return v.classList.contains('active'); })[0] || list[0];
      var radio = variant.querySelector('input[type=radio][value="' + event.key + '"]');
      if (!radio) { return; }
      event.preventDefault();
      radio.checked = true;
      radio.dispatchEvent(new Event('change', { bubbles: true }));
      var index = list.indexOf(variant);
      var next = list.slice(index + 1).concat(list.slice(0, index)).filter(function (v) { return !rated(v); })[0];
      focusStars(next || variant);
    }
  });

  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target.id === 'image' && target.files.length) { document.getElementById('image-error').hidden = true; }
    if (target.type === 'radio' && variantOf(target)) {
      var variant = variantOf(target);
      showLevel(variant, target);
      setError(variant, false);
    }
  });

  // The rubric line follows the star under the pointer, then returns to the chosen one.
  document.addEventListener('mouseover', function (event) {
    var label = event.target.closest && event.target.closest('.star-row label');
    if (label) { showLevel(variantOf(label), document.getElementById(label.htmlFor)); }
  });
  document.addEventListener('mouseout', function (event) {
    var label = event.target.closest && event.target.closest('.star-row label');
    if (label) {
      var variant = variantOf(label);
      showLevel(variant, variant.querySelector('input[type=radio]:checked'));
    }
  });

  document.addEventListener('input', function (event) {
    if (event.target.tagName === 'TEXTAREA' && variantOf(event.target)) {
      var counter = document.getElementById(event.target.getAttribute('aria-describedby'));
      if (counter) { counter.querySelector('.count').textContent = String(event.target.value.length); }
    }
  });

  document.addEventListener('htmx:beforeRequest', function (event) {
    var source = event.detail.elt;
    if (source && source.id === 'rate-form' && !validate()) {
      event.preventDefault();
    } else if (source && source.id === 'upload-form') {
      var image = document.getElementById('image');
      var missing = !image.files.length;
      document.getElementById('image-error').hidden = !missing;
      if (missing) { event.preventDefault(); image.focus(); }
    }
  });

  // A new upload replaces the pair on screen: ask first when it is not rated.
  document.addEventListener('htmx:confirm', function (event) {
    var source = event.detail.elt;
    if (source && source.id === 'upload-form' && unratedPair()) {
      event.preventDefault();
      if (window.confirm(source.getAttribute('data-unrated'))) { event.detail.issueRequest(true); }
    }
  });

  window.addEventListener('beforeunload', function (event) {
    if (unratedPair()) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  document.addEventListener('click', function (event) {
    var zoomable = event.target.closest && event.target.closest('.zoomable');
    var dialog = document.getElementById('zoom');
    if (zoomable && dialog) {
      dialog.querySelector('img').src = zoomable.getAttribute('data-zoom');
      dialog.querySelector('img').alt = zoomable.getAttribute('aria-label') || '';
      dialog.showModal();
    } else if (dialog && (event.target === dialog || event.target.classList.contains('close'))) {
      dialog.close();
    }
  });

  // Drag and drop onto the upload area fills the file input and uploads.
  document.addEventListener('dragover', function (event) {
    var zone = event.target.closest && event.target.closest('#drop-zone');
    if (zone) { event.preventDefault(); zone.classList.add('dragging'); }
  });
  document.addEventListener('dragleave', function (event) {
    var zone = event.target.closest && event.target.closest('#drop-zone');
    if (zone) { zone.classList.remove('dragging'); }
  });
  document.addEventListener('drop', function (event) {
    var zone = event.target.closest && event.target.closest('#drop-zone');
    if (!zone || !event.dataTransfer || !event.dataTransfer.files.length) { return; }
    event.preventDefault();
    zone.classList.remove('dragging');
    var input = document.getElementById('image');
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    // Dropping is choosing: the upload starts at once.
    htmx.trigger(document.getElementById('upload-form'), 'submit');
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    if (!event.detail.target || event.detail.target.id !== 'work') { return; }
    var form = rateForm();
    if (form) {
      // The whole comparison is on screen, the focus on the first rating control.
      form.scrollIntoView({ block: 'start' });
      var first = variants()[0];
      if (first) { focusStars(first); }
    } else {
      // Ratings were submitted: the next upload is ready at once, in the same mode.
      var image = document.getElementById('image');
      if (image) { image.value = ''; image.focus(); }
    }
  });
})();
