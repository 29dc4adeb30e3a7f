// Reload the job page every two seconds until the job has finished, so the progress bar moves.
(function () {
  var bar = document.getElementById("job-progress");
  if (!bar || bar.dataset.finished === "1") { return; }
  window.setTimeout(function () { window.location.reload(); }, 2000);
})();
