// The question form shows only the fields its type uses (options for choices, bounds and unit for numbers,
// a length for free text). Without JavaScript every field shows and the server ignores the others.
(function () {
  'use strict';
  var type = document.querySelector('.design-form select[name=type]');
  if (!type) return;
  var groups = [].slice.call(document.querySelectorAll('[data-for-types]'));
  function show() {
    groups.forEach(function (group) {
      group.hidden = group.getAttribute('data-for-types').split(' ').indexOf(type.value) < 0;
    });
    var help = document.querySelector('.type-fields-help');
    if (help) help.hidden = true;
  }
  type.addEventListener('change', show);
  show();
})();
