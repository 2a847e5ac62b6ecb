// Progressive enhancement of the survey form (the form works without it): a draft kept only in this
// browser's localStorage under an opaque key, and checks before sending from the same answer schema the
// server validates with. The server remains the judge.
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

  var note = document.querySelector('.draft-note');
  if (note) note.hidden = false;
  var hasServerErrors = Boolean(document.getElementById('form-errors'));
  try {
    var saved = JSON.parse(localStorage.getItem(draftKey) || 'null');
    if (saved && !hasServerErrors && Object.keys(saved).length) {
      restore(saved);
      document.querySelector('.draft-restored').hidden = false;
    }
  } catch (e) { localStorage.removeItem(draftKey); }
  form.addEventListener('change', save);
  form.addEventListener('input', save);
  function save() { localStorage.setItem(draftKey, JSON.stringify(snapshot())); }
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
  function numberRule(rule) { return rule.type === 'number' ? rule : (rule.anyOf || []).filter(function (r) { return r.type === 'number'; })[0]; }
  function check(code) {
    var rule = schema.properties[code];
    var values = valuesOf(code);
    var required = schema.required.indexOf(code) >= 0;
    if (!values.length) return required ? message('Required') : '';
    var type = form.querySelector('#q-' + code).dataset.type;
    if (type === 'number') {
      if (values.length === 1 && values[0] === DK) return '';
      var n = numberRule(rule);
      var x = Number(values[0].replace(',', '.'));
      if (values.length > 1 || !/^-?\d+([.,]\d+)?$/.test(values[0]) || x < n.minimum || x > n.maximum) return message('Number', { min: n.minimum, max: n.maximum });
      return '';
    }
    if (type === 'text') return values[0].length > rule.maxLength ? message('Toolong', { limit: rule.maxLength }) : '';
    if (type === 'multiple') return values.indexOf(DK) >= 0 && values.length > 1 ? message('Choices') : '';
    return rule.enum && rule.enum.indexOf(values[0]) < 0 ? message('Choose') : '';
  }

  form.addEventListener('submit', function (event) {
    var first = null;
    var count = 0;
    codes.forEach(function (code) {
      var problem = check(code);
      var box = form.querySelector('#q-' + code);
      box.classList.toggle('invalid', Boolean(problem));
      form.querySelector('#e-' + code).textContent = problem;
      if (problem) { count++; first = first || box; }
    });
    if (first) {
      event.preventDefault();
      first.scrollIntoView({ block: 'center' });
      var input = first.querySelector('input, textarea');
      if (input) input.focus({ preventScroll: true });
      return;
    }
    sessionStorage.setItem(PENDING, draftKey);
  });
})();
