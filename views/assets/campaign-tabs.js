// The campaign page in sections, one on screen at a time (without JavaScript every section shows, one after
// another). The section asked for in the address, else the one holding a problem to fix, else the one whose
// form was just sent (the page comes back after each form), else the first.
(function () {
  'use strict';
  var nav = document.querySelector('nav.tabs');
  if (!nav) return;
  var links = [].slice.call(nav.querySelectorAll('a[href^="#tab-"]'));
  var panels = links.map(function (a) { return document.getElementById(a.getAttribute('href').slice(1)); }).filter(Boolean);
  function show(id, focus) {
    panels.forEach(function (panel) { panel.hidden = panel.id !== id; });
    links.forEach(function (a) {
      if (a.getAttribute('href') === '#' + id) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    });
    if (focus) {
      var heading = document.getElementById(id).querySelector('h2');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
    }
  }
  links.forEach(function (a) {
    a.addEventListener('click', function (event) {
      event.preventDefault();
      var id = a.getAttribute('href').slice(1);
      history.replaceState(null, '', '#' + id);
      show(id, true);
    });
  });
  var KEY = 'ddci-campaign-section';
  panels.forEach(function (panel) {
    panel.addEventListener('submit', function () { sessionStorage.setItem(KEY, panel.id); });
  });
  var sent = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  var asked = location.hash.slice(1) || sent;
  var withProblem = panels.filter(function (p) { return p.querySelector('.field-error:not(:empty), .problem, table.row-errors'); })[0];
  show(panels.some(function (p) { return p.id === asked; }) ? asked : withProblem ? withProblem.id : panels[0].id, false);
  nav.hidden = false;
})();
