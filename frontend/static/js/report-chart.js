// The reports page's chart: hours and social value by ward, from the JSON in #report-data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  new Chart(document.getElementById("report-chart"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Hours confirmed", data: data.hours, backgroundColor: "#1d70b8", yAxisID: "hours" },
        { label: "Social value (£)", data: data.value, backgroundColor: "#00703c", yAxisID: "value" }
      ]
    },
    options: {
      responsive: true,
      scales: {
        hours: { type: "linear", position: "left", title: { display: true, text: "Hours" } },
        value: { type: "linear", position: "right", title: { display: true, text: "£" }, grid: { drawOnChartArea: false } }
      }
    }
  });
  document.body.dataset.chart = "drawn";
})();
