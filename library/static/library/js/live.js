// A live session's page follows the session without a reload: it polls the small status JSON
// and, when the state changes, fetches the state panel from the server (so every text, and the
// decision whether a recording may be shown, stays on the server) and swaps it in place.
// Polls every few seconds while the page is in view, rarely when hidden or when the start is far
// off, and backs off after errors; a weak link pays a few hundred bytes a poll.
// The countdown reads minutes, not seconds, and screen readers hear it only at a few steps.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-session]");
  if (!root || !window.fetch || !window.DOMParser) return;

  var POLL_MS = (parseFloat(root.dataset.pollSeconds) || 5) * 1000;
  var HIDDEN_MS = 60000;
  var MAX_BACKOFF_MS = 60000;
  var FAR_AWAY_MS = 15 * 60000;
  // A recording waits for an editor's review: minutes or days, so ask the server less often.
  var PENDING_MS = POLL_MS * 12;
  var ANNOUNCE_AT_MINUTES = [60, 30, 15, 10, 5, 1];

  var announcer = root.querySelector("[data-live-announcer]");
  var lang = document.documentElement.lang || "fi";
  var clockOffset = 0; // server time minus this tablet's time (lent tablets' clocks drift)
  var timer = null;
  var failures = 0;
  var busy = false;
  var stopped = false;
  var shownMinutes = null;

  function panel() {
    return root.querySelector("[data-live-state]");
  }

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function unit(value, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" })
        .format(value);
    } catch (error) {
      return String(value);
    }
  }

  function duration(ms) {
    var minutes = Math.ceil(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var parts = [];
    if (days) parts.push(unit(days, "day"));
    if (hours) parts.push(unit(hours, "hour"));
    if (!days && minutes % 60) parts.push(unit(minutes % 60, "minute"));
    return parts.join(", ");
  }

  function msToStart() {
    var countdown = panel().querySelector("[data-countdown]");
    if (!countdown) return null;
    return Date.parse(countdown.dataset.startsAt) - (Date.now() + clockOffset);
  }

  function tick() {
    var countdown = panel().querySelector("[data-countdown]");
    if (!countdown) return;
    var left = msToStart();
    var minutes = left > 0 ? Math.ceil(left / 60000) : 0;
    var text = minutes
      ? countdown.dataset.template.replace("%(time)s", duration(left))
      : countdown.dataset.soon;
    if (countdown.textContent !== text) countdown.textContent = text;
    if (shownMinutes !== null && minutes !== shownMinutes) {
      if (!minutes || ANNOUNCE_AT_MINUTES.indexOf(minutes) !== -1) announce(text);
    }
    shownMinutes = minutes;
  }

  // The live picture plays in the same player as recordings, with the same controls and data
  // saver; its own play button ("Watch the broadcast") is the only one.
  function setUpPlayer(node) {
    var video = node.querySelector("video[data-live]");
    if (video && window.KotikanavaPlayer) window.KotikanavaPlayer.attach(video);
  }

  function setUp(node) {
    shownMinutes = null;
    setUpPlayer(node);
    tick();
  }

  function swap(fresh) {
    var old = panel();
    var same = old.dataset.liveState === fresh.dataset.liveState &&
      ("recordingPending" in old.dataset) === ("recordingPending" in fresh.dataset) &&
      !old.querySelector("[data-hls-src]") === !fresh.querySelector("[data-hls-src]");
    if (same) return;
    var hadFocus = old.contains(document.activeElement);
    Array.prototype.forEach.call(old.querySelectorAll("video, audio"), function (media) {
      if (window.KotikanavaPlayer) window.KotikanavaPlayer.detach(media);
    });
    var node = document.importNode(fresh, true);
    old.parentNode.replaceChild(node, old);
    setUp(node);
    if (hadFocus) {
      node.setAttribute("tabindex", "-1");
      node.focus();
    }
    var message = node.querySelector("[data-announce]");
    if (message) announce(message.textContent.trim());
  }

  function get(url, accept) {
    return fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: accept }
    }).then(function (response) {
      if (response.status === 404) stopped = true; // gone, or no longer visible to this person
      if (!response.ok) throw new Error("HTTP " + response.status);
      var date = Date.parse(response.headers.get("Date") || "");
      if (date) clockOffset = date - Date.now();
      return response;
    });
  }

  function refreshPanel() {
    return get(root.dataset.panelUrl, "text/html")
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector("[data-live-state]");
        if (!fresh) throw new Error("no state panel");
        swap(fresh);
      });
  }

  function finished() {
    return stopped || "final" in panel().dataset;
  }

  function nextDelay() {
    if (document.hidden) return HIDDEN_MS;
    if (failures) return Math.min(POLL_MS * Math.pow(2, failures), MAX_BACKOFF_MS);
    var current = panel().dataset.liveState;
    if (current === "archived") return PENDING_MS;
    var left = msToStart();
    if (current === "scheduled" && left !== null && left > FAR_AWAY_MS) {
      return Math.min(HIDDEN_MS, left - FAR_AWAY_MS);
    }
    return POLL_MS;
  }

  function schedule(ms) {
    window.clearTimeout(timer);
    if (!finished()) timer = window.setTimeout(poll, ms);
  }

  function poll() {
    if (busy || finished()) return;
    busy = true;
    var current = panel().dataset.liveState;
    var work = current === "archived"
      ? refreshPanel()
      : get(root.dataset.statusUrl, "application/json")
        .then(function (response) { return response.json(); })
        .then(function (status) {
          // Live, but the player came before the first segments: fetch it now they exist.
          var waitingForPicture = status.state === "live" && status.live_playlist &&
            !panel().querySelector("[data-hls-src]");
          if (status.state !== current || waitingForPicture) return refreshPanel();
        });
    work.then(
      function () { failures = 0; },
      function () { failures += 1; }
    ).then(function () {
      busy = false;
      schedule(nextDelay());
    });
  }

  var serverNow = Date.parse(root.dataset.now || "");
  if (serverNow) clockOffset = serverNow - Date.now();
  setUp(panel());
  window.setInterval(tick, 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) schedule(0);
  });
  schedule(nextDelay());
})();
