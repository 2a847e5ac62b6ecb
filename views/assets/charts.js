// Response-rate charts: data from the page's JSON block (no inline script; strict CSP).
(function () {
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  if (!window.Chart) return;
  new Chart(document.getElementById('rates-chart'), {
    type: 'bar',
    data: { labels: data.units.map(function (u) { return u.label; }), datasets: [{ data: data.units.map(function (u) { return u.rate; }), backgroundColor: '#a3161a' }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } }, animation: false },
  });
  new Chart(document.getElementById('days-chart'), {
    type: 'line',
    data: { labels: data.days.map(function (d) { return d.day; }), datasets: [{ data: data.days.map(function (d) { return d.answers; }), borderColor: '#0b4f8a' }] },
    options: { plugins: { legend: { display: false } }, animation: false },
  });
})();
