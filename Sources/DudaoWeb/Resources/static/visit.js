// Progressive help for recording a visit on a phone (the form works without it):
// keeps what was typed in localStorage until the server has it, and fills the location.
(function () {
  var form = document.getElementById('visit-form');
  if (!form || !window.localStorage) return;
  var key = 'dudao-visit-' + form.querySelector('[name=visit_id]').value;
  var saved = localStorage.getItem(key);
  if (saved) {
    try {
      var values = JSON.parse(saved);
      Object.keys(values).forEach(function (name) {
        form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
          if (el.type === 'radio') el.checked = el.value === values[name];
          else if (el.type !== 'file' && !el.value) el.value = values[name];
        });
      });
    } catch (e) { localStorage.removeItem(key); }
  }
  form.addEventListener('input', function () {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || el.type === 'hidden' || el.type === 'submit') return;
      if (el.type === 'radio' && !el.checked) return;
      values[el.name] = el.value;
    });
    localStorage.setItem(key, JSON.stringify(values));
  });
  form.addEventListener('submit', function () { localStorage.removeItem(key); });
  var location = document.getElementById('location');
  if (location && !location.value && navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(function (p) {
      location.value = p.coords.latitude.toFixed(5) + ',' + p.coords.longitude.toFixed(5);
    }, function () {}, { timeout: 5000 });
  }
})();
