// stigmacards room mode: live updates only. Every page works without this file.
// The page listens to its event stream; when the phase or round changes it reloads itself
// (the server renders the new step), and the projector counts its timer down between events.
"use strict";
(function () {
  var body = document.body;
  var url = body.getAttribute("data-events");
  if (!url || !window.EventSource) { return; }
  var phase = body.getAttribute("data-phase");
  var round = body.getAttribute("data-round");
  var timer = document.querySelector(".timer");
  var deadline = null;
  var paused = false;
  var calm = false;

  function face(seconds) {
    seconds = Math.max(0, Math.ceil(seconds - 1e-9));
    if (calm) { return Math.ceil(seconds / 60) + " min"; }
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }
  function tick() {
    if (!timer || deadline === null) { return; }
    var left = paused ? deadline : (deadline - Date.now()) / 1000;
    timer.textContent = face(left);
  }
  var source = new EventSource(url);
  source.onmessage = function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    if (String(data.phase) !== phase || String(data.round) !== round) {
      source.close();
      window.location.reload();
      return;
    }
    body.setAttribute("data-live", "yes");  // following the room (tests wait for this)
    var count = document.getElementById("count");
    if (count) { count.textContent = String(data.count); }
    var full = document.getElementById("full");
    if (full) { full.hidden = !data.full; }
    var pausedLine = document.querySelector(".paused");
    if (pausedLine) { pausedLine.hidden = !data.paused; }
    paused = !!data.paused;
    calm = !!data.calm;
    deadline = paused ? data.remaining : Date.now() + data.remaining * 1000;
    tick();
  };
  if (timer) { window.setInterval(tick, 1000); }
})();
