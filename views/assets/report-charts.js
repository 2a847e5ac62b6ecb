// Composite bar charts with their 95 % intervals, one per block: data from the page's JSON block (strict CSP,
// no inline script). The ranking table beside each chart holds the same figures for screen readers and print.
(function () {
  if (!window.Chart || !window.ChartErrorBars) return;
  var data = JSON.parse(document.getElementById('report-charts').textContent);
  Chart.register(ChartErrorBars.BarWithErrorBarsController, ChartErrorBars.BarWithErrorBar);
  document.querySelectorAll('canvas.composite-chart').forEach(function (canvas) {
    var block = data[canvas.getAttribute('data-block')];
    if (!block) return;
    canvas.parentElement.style.height = canvas.parentElement.getAttribute('data-height') + 'px';
    new Chart(canvas, {
      type: 'barWithErrorBars',
      data: {
        labels: block.labels,
        datasets: [{
          data: block.values.map(function (v, i) { return { x: v, xMin: block.low[i], xMax: block.high[i] }; }),
          backgroundColor: '#2171b5',
          errorBarColor: '#1f2937',
          errorBarWhiskerColor: '#1f2937',
        }],
      },
      options: { indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { min: 10, max: 100 } } },
    });
  });
})();
