// PromptLab trainer page behaviour: drag-and-drop upload, zoom, keyboard rating. No dependencies
// beyond htmx; everything is progressive (the forms work without this file).
(function () {
  'use strict';

  function variants() {
    return Array.prototype.slice.call(document.querySelectorAll('#rate-form fieldset.variant'))
      .filter(function (v) { return v.querySelector('input[type=radio]'); });
  }

  var active = 0;

  function markActive(index) {
    var list = variants();
    if (!list.length) { return; }
    active = (index + list.length) % list.length;
    list.forEach(function (v, i) { v.classList.toggle('active', i === active); });
  }

  function typing(target) {
    return target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
      || (target.tagName === 'INPUT' && /^(text|email|password|number|search)$/.test(target.type)));
  }

  document.addEventListener('keydown', function (event) {
    var form = document.getElementById('rate-form');
    if (!form) { return; }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.reportValidity()) { htmx.trigger(form, 'submit'); }
      return;
    }
    if (typing(event.target) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (/^[1-5]$/.test(event.key)) {
      var list = variants();
      if (!list.length) { return; }
      var radio = list[active].querySelector('input[type=radio][value="' + event.key + '"]');
      if (radio) {
        // Focus stays put: arrow keys on a focused radio would change the rating.
        radio.checked = true;
        var next = list.findIndex(function (v, i) { return i > active && !v.querySelector('input[type=radio]:checked'); });
        if (next >= 0) { markActive(next); }
      }
      event.preventDefault();
    } else if (event.key === 'ArrowRight' && !(event.target && event.target.type === 'radio')) {
      markActive(active + 1);
    } else if (event.key === 'ArrowLeft' && !(event.target && event.target.type === 'radio')) {
      markActive(active - 1);
    }
  });

  document.addEventListener('click', function (event) {
    var variant = event.target.closest && event.target.closest('#rate-form fieldset.variant');
    if (variant) { markActive(variants().indexOf(variant)); }
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

  // Drag and drop onto the upload area fills the file input.
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
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.detail.target && event.detail.target.id === 'work') {
      if (document.getElementById('rate-form')) {
        markActive(0);
        var first = variants()[0];
        if (first) { first.scrollIntoView({ block: 'nearest' }); }
      } else {
        // Ratings were submitted: the next upload is ready at once.
        var upload = document.getElementById('upload-form');
        if (upload) { upload.reset(); document.getElementById('image').focus(); }
      }
    }
  });
})();
