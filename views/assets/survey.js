// Progressive enhancement of the survey form (the form works without it): one section a screen with a
// review before sending, a draft kept only in this browser's localStorage under an opaque key, and checks
// before sending from the same answer schema the server validates with. The server remains the judge.
(function () {
  'use strict';
  var PENDING = 'ddci-draft-pending';

  // Receipt page: the form was stored, so its draft goes.
  var receipt = document.getElementById('receipt');
  if (receipt) {
    var done = sessionStorage.getItem(PENDING);
    if (done) localStorage.removeItem(done);
    sessionStorage.removeItem(PENDING);
    // Copy and print, where the browser can.
    var copy = document.querySelector('[data-copy-receipt]');
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener('click', function () {
        navigator.clipboard.writeText(receipt.getAttribute('data-receipt')).then(function () {
          document.querySelector('[data-copied]').hidden = false;
        });
      });
    }
    var print = document.querySelector('[data-print]');
    if (print && window.print) {
      print.hidden = false;
      print.addEventListener('click', function () { window.print(); });
    }
    return;
  }

  var form = document.querySelector('form.survey-form');
  if (!form) return;
  var draftKey = 'ddci-draft-' + form.dataset.draftKey;
  var schema = JSON.parse(document.getElementById('answer-schema').textContent);
  var DK = 'DK';

  function fieldsOf(code) { return form.querySelectorAll('[name="' + code + '"]'); }
  function valuesOf(code) {
    var out = [];
    fieldsOf(code).forEach(function (el) {
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
      if (el.value.trim() !== '') out.push(el.value.trim());
    });
    return out;
  }
  var codes = Object.keys(schema.properties);

  function snapshot() {
    var data = {};
    codes.forEach(function (code) { var v = valuesOf(code); if (v.length) data[code] = v; });
    return data;
  }
  function restore(data) {
    Object.keys(data).forEach(function (code) {
      var values = data[code];
      fieldsOf(code).forEach(function (el) {
        if (el.type === 'radio' || el.type === 'checkbox') el.checked = values.indexOf(el.value) >= 0;
        else el.value = values.filter(function (v) { return v !== DK; })[0] || '';
      });
    });
  }

  // A designer's preview keeps nothing, not even in this browser.
  var keepDrafts = !form.hasAttribute('data-no-draft');
  var note = document.querySelector('.draft-note');
  if (note && keepDrafts) note.hidden = false;
  var hasServerErrors = Boolean(document.getElementById('form-errors'));
  try {
    var saved = JSON.parse(localStorage.getItem(draftKey) || 'null');
    if (keepDrafts && saved && !hasServerErrors && Object.keys(saved).length) {
      restore(saved);
      document.querySelector('.draft-restored').hidden = false;
    }
  } catch (e) { localStorage.removeItem(draftKey); }
  form.addEventListener('change', save);
  form.addEventListener('input', save);
  function save() { if (keepDrafts) localStorage.setItem(draftKey, JSON.stringify(snapshot())); }
  var clear = document.querySelector('[data-clear-draft]');
  if (clear) clear.addEventListener('click', function () {
    localStorage.removeItem(draftKey);
    form.reset();
  });

  function message(name, params) {
    var text = form.dataset['msg' + name] || '';
    Object.keys(params || {}).forEach(function (k) { text = text.replace('{' + k + '}', params[k]); });
    return text;
  }
  function isNumber(r) { return r.type === 'number' || r.type === 'integer'; }
  function numberRule(rule) { return isNumber(rule) ? rule : (rule.anyOf || []).filter(isNumber)[0]; }
  function check(code) {
    var rule = schema.properties[code];
    var values = valuesOf(code);
    var box = form.querySelector('#q-' + code);
    if (box.hidden) return '';
    var required = box.hasAttribute('data-required');
    if (!values.length) return required ? message('Required') : '';
    var type = box.dataset.type;
    if (type === 'number') {
      if (values.length === 1 && values[0] === DK) return '';
      if (values.indexOf(DK) >= 0) return message('Numberdk');
      var n = numberRule(rule);
      var x = Number(values[0].replace(',', '.'));
      if (values.length > 1 || !/^-?\d+([.,]\d+)?$/.test(values[0]) || (n.type === 'integer' && x % 1 !== 0) || x < n.minimum || x > n.maximum) return message('Number', { min: n.minimum, max: n.maximum });
      return '';
    }
    if (type === 'text') return values[0].length > rule.maxLength ? message('Toolong', { limit: rule.maxLength }) : '';
    if (type === 'multiple') return values.indexOf(DK) >= 0 && values.length > 1 ? message('Choices') : '';
    return rule.enum && rule.enum.indexOf(values[0]) < 0 ? message('Choose') : '';
  }

  /** Checks the questions of `boxes`, marks each, and returns the first with a problem (or null). */
  function firstProblem(boxes) {
    var first = null;
    boxes.forEach(function (box) {
      var code = box.dataset.code;
      var problem = check(code);
      box.classList.toggle('invalid', Boolean(problem));
      form.querySelector('#e-' + code).textContent = problem;
      if (problem) first = first || box;
    });
    return first;
  }
  function point(box) {
    box.scrollIntoView({ block: 'center' });
    var input = box.querySelector('input, textarea');
    if (input) input.focus({ preventScroll: true });
  }
  var allBoxes = [].slice.call(form.querySelectorAll('fieldset.question'));
  // “Don't know” and a number exclude each other: ticking it clears the number, typing a number unticks it.
  allBoxes.forEach(function (box) {
    var number = box.querySelector('label.number input');
    var dk = box.querySelector('input[type=checkbox][value="' + DK + '"]');
    if (!number || !dk) return;
    dk.addEventListener('change', function () { if (dk.checked) number.value = ''; });
    number.addEventListener('input', function () { if (number.value !== '') dk.checked = false; });
  });
  // Display rules: a question asked only after some answers is hidden (and its fields left out of what is
  // sent) until an earlier answer calls for it; the server drops what a hidden question still holds.
  var ruled = allBoxes.filter(function (box) { return box.hasAttribute('data-show-if'); });
  function applyRules() {
    ruled.forEach(function (box) {
      var rule = JSON.parse(box.getAttribute('data-show-if'));
      var on = form.querySelector('#q-' + rule.question);
      var asked = !on.hidden && valuesOf(rule.question).some(function (v) { return rule.anyOf.indexOf(v) >= 0; });
      box.hidden = !asked;
      box.querySelectorAll('input, textarea').forEach(function (el) { el.disabled = !asked; });
    });
  }
  if (ruled.length) {
    form.addEventListener('change', applyRules);
    applyRules();
  }
  var steps = stepper();

  form.addEventListener('submit', function (event) {
    var first = firstProblem(allBoxes);
    if (first) {
      event.preventDefault();
      if (steps) steps.showSectionOf(first);
      point(first);
      return;
    }
    if (keepDrafts) sessionStorage.setItem(PENDING, draftKey);
  });

  // One section a screen on a phone-sized task: a progress bar, Back / Continue (each section checked before
  // moving on), and a review of every section before sending. Without JavaScript the form is one page.
  function stepper() {
    var sections = [].slice.call(form.querySelectorAll('.survey-section'));
    if (sections.length < 2) return null;
    var submit = form.querySelector('button.submit');
    // An element from fixed markup, its texts (by selector) set as text, placed before `before`.
    function add(tag, className, markup, texts, before) {
      var el = document.createElement(tag);
      el.className = className;
      el.innerHTML = markup;
      Object.keys(texts).forEach(function (selector) { el.querySelector(selector).textContent = texts[selector]; });
      form.insertBefore(el, before);
      return el;
    }
    var progress = add('div', 'step-progress', '<p class="step-label" aria-live="polite"></p><progress></progress>', {}, form.firstChild);
    progress.querySelector('progress').max = sections.length + 1;
    var review = add('section', 'survey-review', '<h2 tabindex="-1"></h2><p></p><ol class="review-list"></ol>', { h2: message('Review'), p: message('Reviewintro') }, submit);
    var nav = add('div', 'step-nav', '<button type="button" class="secondary" data-step="back"></button> <button type="button" data-step="next"></button>',
      { '[data-step=back]': message('Back'), '[data-step=next]': message('Next') }, submit);
    form.classList.add('stepped');
    var current = 0;

    function boxesOf(section) { return [].slice.call(section.querySelectorAll('fieldset.question')); }
    function show(index, focus) {
      current = index;
      var reviewing = index === sections.length;
      sections.forEach(function (section, i) { section.hidden = i !== index; });
      review.hidden = !reviewing;
      submit.hidden = !reviewing;
      nav.querySelector('[data-step=back]').hidden = index === 0;
      nav.querySelector('[data-step=next]').hidden = reviewing;
      progress.querySelector('progress').value = index + 1;
      progress.querySelector('.step-label').textContent = reviewing
        ? message('Review')
        : message('Step', { n: index + 1, total: sections.length, title: sections[index].querySelector('h2').textContent });
      if (reviewing) fillReview();
      if (focus) {
        var heading = (reviewing ? review : sections[index]).querySelector('h2');
        heading.setAttribute('tabindex', '-1');
        progress.scrollIntoView({ block: 'start' });
        heading.focus({ preventScroll: true });
      }
    }
    function fillReview() {
      var list = review.querySelector('.review-list');
      list.textContent = '';
      sections.forEach(function (section, i) {
        var boxes = boxesOf(section).filter(function (box) { return !box.hidden; });
        var answered = boxes.filter(function (box) { return valuesOf(box.dataset.code).length > 0; }).length;
        var missing = boxes.filter(function (box) { return check(box.dataset.code) !== ''; }).length;
        var item = document.createElement('li');
        item.className = missing ? 'review-missing' : '';
        var title = document.createElement('span');
        title.textContent = section.querySelector('h2').textContent + ' — ' + message('Answered', { answered: answered, total: boxes.length });
        var edit = document.createElement('button');
        edit.type = 'button';
        edit.className = 'link';
        edit.textContent = missing ? message('Missing', { count: missing }) : message('Edit');
        edit.addEventListener('click', function () { show(i, true); });
        item.appendChild(title);
        item.appendChild(document.createTextNode(' '));
        item.appendChild(edit);
        list.appendChild(item);
      });
    }
    nav.querySelector('[data-step=back]').addEventListener('click', function () { show(current - 1, true); });
    nav.querySelector('[data-step=next]').addEventListener('click', function () {
      var first = firstProblem(boxesOf(sections[current]));
      if (first) return point(first);
      show(current + 1, true);
    });
    // After the server refused the form, open the first section it marked.
    var marked = form.querySelector('fieldset.question.invalid');
    show(marked ? sections.indexOf(marked.closest('.survey-section')) : 0, false);
    return { showSectionOf: function (box) { show(sections.indexOf(box.closest('.survey-section')), false); } };
  }
})();
