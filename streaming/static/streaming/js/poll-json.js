// One polite JSON poll, shared by the live questions on the client's session page and the host's
// list (library may use streaming's static files; streaming never uses library's). One request
// at a time, never answered from the HTTP cache; `hiddenFactor` times less often while the tab
// is hidden, and at once when it is shown again. A failed poll is left for the next one.
(function () {
  "use strict";

  // options: ms (the interval), hiddenFactor, render(data), and optionally when() -> false to
  // stop polling until now() is called again. Returns { now: poll at once }.
  function pollJson(url, options) {
    var timer = null;
    var busy = false;

    function poll() {
      window.clearTimeout(timer);
      if (busy || (options.when && !options.when())) return;
      busy = true;
      fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(options.render).catch(function () {}).then(function () {
        busy = false;
        var ms = document.hidden ? options.ms * options.hiddenFactor : options.ms;
        timer = window.setTimeout(poll, ms);
      });
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) poll();
    });
    timer = window.setTimeout(poll, options.ms);
    return { now: poll };
  }

  window.KotikanavaPoll = { json: pollJson };
})();
