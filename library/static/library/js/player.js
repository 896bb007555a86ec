// Plays the HLS ladder: hls.js wherever Media Source Extensions exist (it lets us start low and
// adapt carefully), native HLS otherwise (iPhone Safari), and the progressive MP4 <source> as the
// last resort. Nothing of the stream is fetched before the viewer presses play (preload="none"),
// and hls.js itself (about 160 kB compressed) is fetched only after the page has finished loading.
// Playback starts on the lowest rung with a low bandwidth guess, so a weak rural connection gets
// a picture quickly and steps up only when it can.
(function () {
  "use strict";
  var script = document.currentScript;
  var media = Array.prototype.slice.call(document.querySelectorAll("[data-hls-src]"));
  if (!media.length) return;

  function untouched(element) {
    return element.paused && !element.played.length && element.readyState === 0;
  }

  function attachNative(element) {
    if (!untouched(element)) return;
    element.src = element.dataset.hlsSrc;
  }

  function attachHls(element) {
    if (!untouched(element)) return; // already playing the MP4: leave it alone
    var hls = new window.Hls({
      autoStartLoad: false,
      startLevel: 0,
      abrEwmaDefaultEstimate: 150000,
      capLevelToPlayerSize: true,
      maxBufferLength: 20,
      // Captions come from the page's own <track> elements (they work with every source).
      enableWebVTT: false,
      enableIMSC1: false,
      enableCEA708Captions: false
    });
    var started = false;
    element.addEventListener("play", function () {
      if (!started) {
        started = true;
        hls.startLoad(-1);
      }
    });
    hls.on(window.Hls.Events.ERROR, function (_event, data) {
      if (!data.fatal) return;
      hls.destroy();
      element.removeAttribute("data-hls-src");
      element.load(); // falls back to the MP4 <source>
      if (started) element.play();
    });
    hls.loadSource(element.dataset.hlsSrc);
    hls.attachMedia(element);
  }

  var hasMse = "MediaSource" in window || "ManagedMediaSource" in window;
  if (!hasMse) {
    if (media[0].canPlayType("application/vnd.apple.mpegurl")) media.forEach(attachNative);
    return;
  }

  function loadHls() {
    var loader = document.createElement("script");
    loader.src = script.dataset.hls;
    loader.onload = function () {
      if (window.Hls && window.Hls.isSupported()) media.forEach(attachHls);
    };
    document.head.appendChild(loader);
  }

  if (document.readyState === "complete") loadHls();
  else window.addEventListener("load", loadHls);
})();
