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
    var comparing = document.getElementById('zoom');
    if (!form || (comparing && comparing.open)) { return; }
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

  // The comparison viewer: the original and both variants side by side, zoomed and moved together; each
  // variant can be flipped with the original, or one variant laid over the original with a slider between them.
  var view = { scale: 1, x: 0, y: 0 };

  function panes() { return Array.prototype.slice.call(document.querySelectorAll('#zoom-panes .pane')); }

  function applyView() {
    panes().forEach(function (pane) {
      pane.querySelector('img').style.transform =
        'translate(' + view.x + 'px, ' + view.y + 'px) scale(' + view.scale + ')';
    });
  }

  function zoomBy(factor) {
    view.scale = Math.min(8, Math.max(1, view.scale * factor));
    if (view.scale === 1) { view.x = 0; view.y = 0; }
    applyView();
  }

  /** What the comparison shows, in screen order: [{src, label, original}]. */
  function comparedImages() {
    var list = [];
    var original = document.querySelector('#rate-form .original .zoomable');
    if (original) { list.push({ src: original.getAttribute('data-zoom'), label: original.textContent.trim() || original.querySelector('img').alt, original: true }); }
    document.querySelectorAll('#rate-form fieldset.variant').forEach(function (v) {
      var button = v.querySelector('.zoomable');
      if (button) { list.push({ src: button.getAttribute('data-zoom'), label: v.querySelector('legend').textContent.trim(), original: false }); }
    });
    return list;
  }

  function openComparison(dialog) {
    var images = comparedImages();
    var container = document.getElementById('zoom-panes');
    container.textContent = '';
    images.forEach(function (image) {
      var figure = document.createElement('figure');
      figure.className = 'pane' + (image.original ? ' original-pane' : '');
      var viewport = document.createElement('div');
      viewport.className = 'viewport';
      var img = document.createElement('img');
      img.src = image.src;
      img.alt = image.label;
      img.setAttribute('data-src', image.src);
      img.draggable = false;
      viewport.appendChild(img);
      var caption = document.createElement('figcaption');
      caption.textContent = image.label;
      figure.appendChild(viewport);
      figure.appendChild(caption);
      container.appendChild(figure);
    });
    var select = document.getElementById('swipe-variant');
    select.textContent = '';
    images.filter(function (i) { return !i.original; }).forEach(function (image) {
      var option = document.createElement('option');
      option.value = image.src;
      option.textContent = image.label;
      select.appendChild(option);
    });
    var original = images.filter(function (i) { return i.original; })[0];
    dialog.querySelector('.swipe .under').src = original ? original.src : '';
    view = { scale: 1, x: 0, y: 0 };
    setFlicker(false);
    setSwipe(false);
    applyView();
    dialog.showModal();
  }

  function setFlicker(on) {
    var button = document.getElementById('flicker');
    if (!button) { return; }
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    var original = document.querySelector('#zoom-panes .original-pane img');
    panes().forEach(function (pane) {
      if (pane.classList.contains('original-pane')) { return; }
      var img = pane.querySelector('img');
      img.src = on && original ? original.getAttribute('data-src') : img.getAttribute('data-src');
      pane.classList.toggle('flipped', on);
    });
  }

  function setSwipe(on) {
    var button = document.getElementById('swipe-toggle');
    if (!button) { return; }
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    document.getElementById('swipe').hidden = !on;
    document.getElementById('zoom-panes').hidden = on;
    if (on) { updateSwipe(); }
  }

  function updateSwipe() {
    var dialog = document.getElementById('zoom');
    var over = dialog.querySelector('.swipe .over');
    var select = document.getElementById('swipe-variant');
    var position = document.getElementById('swipe-pos').value;
    over.src = select.value;
    over.alt = select.options[select.selectedIndex] ? select.options[select.selectedIndex].textContent : '';
    over.style.clipPath = 'inset(0 0 0 ' + position + '%)';
    dialog.querySelector('.swipe-line').style.left = position + '%';
  }

  document.addEventListener('input', function (event) {
    if (event.target.id === 'swipe-pos') { updateSwipe(); }
  });
  document.addEventListener('change', function (event) {
    if (event.target.id === 'swipe-variant') { updateSwipe(); }
  });

  document.addEventListener('wheel', function (event) {
    if (!event.target.closest || !event.target.closest('#zoom-panes .viewport')) { return; }
    event.preventDefault();
    zoomBy(event.deltaY < 0 ? 1.25 : 0.8);
  }, { passive: false });

  var drag = null;
  document.addEventListener('pointerdown', function (event) {
    var viewport = event.target.closest && event.target.closest('#zoom-panes .viewport');
    if (!viewport) { return; }
    drag = { x: event.clientX, y: event.clientY };
    viewport.setPointerCapture(event.pointerId);
  });
  document.addEventListener('pointermove', function (event) {
    if (!drag) { return; }
    view.x += event.clientX - drag.x;
    view.y += event.clientY - drag.y;
    drag = { x: event.clientX, y: event.clientY };
    applyView();
  });
  document.addEventListener('pointerup', function () { drag = null; });
  document.addEventListener('pointercancel', function () { drag = null; });

  document.addEventListener('keydown', function (event) {
    var dialog = document.getElementById('zoom');
    if (!dialog || !dialog.open || typing(event.target) || event.target.type === 'range') { return; }
    var step = 40;
    var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (event.key === '+' || event.key === '=') { zoomBy(1.5); } else if (event.key === '-') { zoomBy(1 / 1.5); } else if (event.key === 'o' || event.key === 'O') {
      setFlicker(document.getElementById('flicker').getAttribute('aria-pressed') !== 'true');
    } else if (moves[event.key] && view.scale > 1) {
      view.x += moves[event.key][0];
      view.y += moves[event.key][1];
      applyView();
    } else { return; }
    event.preventDefault();
    event.stopPropagation();
  }, true);

  document.addEventListener('click', function (event) {
    var zoomable = event.target.closest && event.target.closest('.zoomable');
    var dialog = document.getElementById('zoom');
    if (!dialog) { return; }
    if (zoomable) {
      openComparison(dialog);
    } else if (event.target === dialog || event.target.classList.contains('close')) {
      dialog.close();
    } else if (event.target.id === 'zoom-in') {
      zoomBy(1.5);
    } else if (event.target.id === 'zoom-out') {
      zoomBy(1 / 1.5);
    } else if (event.target.id === 'zoom-reset') {
      view = { scale: 1, x: 0, y: 0 };
      applyView();
    } else if (event.target.id === 'flicker') {
      setFlicker(event.target.getAttribute('aria-pressed') !== 'true');
    } else if (event.target.id === 'swipe-toggle') {
      setSwipe(event.target.getAttribute('aria-pressed') !== 'true');
    }
  });

  // Several renders chosen at once wait in a queue: the first is uploaded, each next one when the ratings
  // of the one before are sent (or it is set aside).
  var queue = [];

  function showQueue() {
    var line = document.getElementById('queue');
    if (!line) { return; }
    line.hidden = queue.length === 0;
    line.textContent = line.getAttribute('data-template').replace('{n}', String(queue.length));
  }

  function choose(files) {
    var input = document.getElementById('image');
    var list = Array.prototype.slice.call(files);
    queue = list.slice(1);
    if (list.length > 1) {
      var first = new DataTransfer();
      first.items.add(list[0]);
      input.files = first.files;
    }
    showPreview(input.files[0]);
    showQueue();
  }

  var previewUrl = null;
  function showPreview(file) {
    var preview = document.getElementById('preview');
    if (!preview) { return; }
    if (previewUrl) { URL.revokeObjectURL(previewUrl); previewUrl = null; }
    preview.hidden = !file;
    if (file) {
      previewUrl = URL.createObjectURL(file);
      preview.querySelector('img').src = previewUrl;
      preview.querySelector('.preview-name').textContent = file.name;
    }
  }

  function uploadNext() {
    if (!queue.length) { return false; }
    var next = new DataTransfer();
    next.items.add(queue.shift());
    var input = document.getElementById('image');
    input.files = next.files;
    showPreview(input.files[0]);
    showQueue();
    htmx.trigger(document.getElementById('upload-form'), 'submit');
    return true;
  }

  document.addEventListener('change', function (event) {
    if (event.target.id === 'image') { choose(event.target.files); }
  });

  document.addEventListener('click', function (event) {
    var copy = event.target.closest && event.target.closest('button.copy');
    if (!copy || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(document.getElementById(copy.getAttribute('data-copy')).textContent.trim())
      .then(function () { copy.textContent = copy.getAttribute('data-copied'); });
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
    choose(input.files);
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
      // Ratings were submitted: the next queued render goes up, or the next upload is ready at once, in the
      // same mode.
      if (!uploadNext()) {
        var image = document.getElementById('image');
        if (image) { image.value = ''; image.focus(); }
        showPreview(null);
      }
    }
  });
})();
