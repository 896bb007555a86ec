// Registers the service worker (/sw.js, scope: the whole site) that lets saved videos and their
// pages work without a connection. Browsers without service workers, or pages not in a secure
// context, simply go without.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {});
  });
})();
