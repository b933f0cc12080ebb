// The wards page's map: each ward shaded by its unmet requests, from the JSON in #ward-data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ward-data").textContent);
  var most = Math.max.apply(null, data.features.map(function (f) { return f.properties.unmet; }).concat([1]));
  // No background tiles: the wards alone, so nothing is fetched from third parties.
  var map = L.map("ward-map", { attributionControl: false, zoomSnap: 0.25 });
  var layer = L.geoJSON(data, {
    style: function (feature) {
      var share = feature.properties.unmet / most;
      return { color: "#0b0c0c", weight: 1, fillColor: "#d4351c", fillOpacity: 0.1 + 0.7 * share };
    },
    onEachFeature: function (feature, shape) {
      shape.bindTooltip(feature.properties.name + ": " + feature.properties.unmet + " unmet of " +
        feature.properties.open_needs + " open");
    }
  }).addTo(map);
  // Council borders over the wards, thicker, so a region's councils read apart.
  var borders = document.getElementById("council-borders");
  if (borders) {
    L.geoJSON(JSON.parse(borders.textContent), {
      interactive: false,
      style: function () {
        return { color: "#1d70b8", weight: 3, fill: false, className: "app-council-border" };
      }
    }).addTo(map);
  }
  map.fitBounds(layer.getBounds());
  document.body.dataset.map = "drawn";
})();
