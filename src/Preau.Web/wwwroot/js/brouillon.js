// Optional: saves the draft every few seconds. Without JavaScript the buttons do the same.
(function () {
  var form = document.getElementById('compose');
  if (!form || !window.fetch) return;
  var every = (parseInt(form.dataset.autosave, 10) || 5) * 1000;
  var status = document.getElementById('autosave-status');
  var last = '';
  setInterval(function () {
    var data = new FormData(form);
    data.delete('Upload'); // files go with the « Joindre » button only
    var snapshot = new URLSearchParams(data).toString();
    if (snapshot === last) return;
    fetch('?handler=Autosave', { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) return;
        last = snapshot;
        form.querySelector('[name=DraftId]').value = j.id;
        if (status) status.textContent = 'Brouillon enregistré';
      })
      .catch(function () { });
  }, every);
})();
