// Composite bar charts with their 95 % intervals, one per block: data from the page's JSON block (strict CSP,
// no inline script). The ranking table beside each chart holds the same figures for screen readers. The same
// script draws the charts of the printed report (the PDF), and offers each chart as a PNG for slides.
(function () {
  // On a phone the ranking cards come first; each block's statistics and heat map open on demand.
  if (window.matchMedia && window.matchMedia('(max-width: 40rem)').matches) {
    document.querySelectorAll('details.block-more').forEach(function (d) { d.open = false; });
  }
  if (!window.Chart || !window.ChartErrorBars) return;
  var data = JSON.parse(document.getElementById('report-charts').textContent);
  Chart.register(ChartErrorBars.BarWithErrorBarsController, ChartErrorBars.BarWithErrorBar);
  // A white background, so the PNG reads on any slide.
  var background = { id: 'white-background', beforeDraw: function (chart) {
    var c = chart.ctx; c.save(); c.globalCompositeOperation = 'destination-over'; c.fillStyle = '#ffffff'; c.fillRect(0, 0, chart.width, chart.height); c.restore();
  } };
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
      plugins: [background],
    });
  });
  document.querySelectorAll('button[data-png]').forEach(function (button) {
    var canvas = document.getElementById(button.getAttribute('data-png'));
    if (!canvas) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      canvas.toBlob(function (blob) {
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = button.getAttribute('data-file');
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      }, 'image/png');
    });
  });
})();
