// Plays the HLS ladder: hls.js wherever Media Source Extensions exist (it lets us start low and
// adapt carefully), native HLS otherwise (iPhone Safari), and the progressive MP4 <source> as the
// last resort. Nothing of the stream is fetched before the viewer presses play (preload="none"),
// and hls.js itself (about 160 kB compressed) is fetched only after the page has finished loading.
// Playback starts on the lowest rung with a low bandwidth guess, so a weak rural connection gets
// a picture quickly and steps up only when it can.
//
// Live broadcasts (data-live) play the same way; a live session's page adds its player after
// loading, so `window.KotikanavaPlayer` offers `attach`, `detach` and `play` (on a tap) too.
(function () {
  "use strict";
  var script = document.currentScript;
  var hasMse = "MediaSource" in window || "ManagedMediaSource" in window;
  var waiting = [];
  var loading = false;

  function untouched(element) {
    return element.paused && !element.played.length && element.readyState === 0;
  }

  // Native HLS (iPad Safari) lists the master playlist's subtitle tracks itself, the same
  // captions as the page's <track> elements: those go, so no language is listed twice, and the
  // playlist's track in the language the page chose is shown instead.
  function useStreamCaptions(element) {
    var shown = "";
    Array.prototype.slice.call(element.querySelectorAll("track")).forEach(function (track) {
      if (track.kind !== "captions" && track.kind !== "subtitles") return;
      if (!shown && (track.default || track.track.mode === "showing")) shown = track.srclang;
      track.parentNode.removeChild(track);
    });
    if (!shown || !element.textTracks.addEventListener) return;
    element.textTracks.addEventListener("addtrack", function onTrack(event) {
      var track = event.track;
      if ((track.kind === "captions" || track.kind === "subtitles") && track.language === shown) {
        track.mode = "showing";
        element.textTracks.removeEventListener("addtrack", onTrack);
      }
    });
  }

  function attachNative(element) {
    if (!untouched(element)) return;
    useStreamCaptions(element);
    element.src = element.dataset.hlsSrc;
  }

  function onFatalRecording(hls, element, started) {
    hls.destroy();
    element.hlsPlayer = null;
    element.removeAttribute("data-hls-src");
    element.load(); // falls back to the MP4 <source>
    if (started) element.play();
  }

  // A live stream has no MP4 to fall back to: retry the network, recover the decoder. A master
  // playlist that never loaded (the packager was restarting) is asked for again.
  function onFatalLive(hls, data, element) {
    if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError();
      return;
    }
    window.setTimeout(function () {
      if (hls.levels && hls.levels.length) hls.startLoad(-1);
      else hls.loadSource(element.dataset.hlsSrc);
    }, 2000);
  }

  function attachHls(element) {
    if (element.hlsPlayer || !element.dataset.hlsSrc) return;
    if (!untouched(element)) return; // already playing the MP4: leave it alone
    var live = "live" in element.dataset;
    var hls = new window.Hls({
      autoStartLoad: false,
      startLevel: 0,
      abrEwmaDefaultEstimate: 150000,
      capLevelToPlayerSize: true,
      maxBufferLength: 20,
      // Captions come from the page's own <track> elements (they work with every source). hls.js
      // must leave them alone: its subtitle track controller disables every captions track but
      // the master playlist's subtitle track it has chosen (none), which empties ours. Without
      // these controllers it neither selects, disables nor clears text tracks.
      subtitleTrackController: null,
      subtitleStreamController: null,
      timelineController: null,
      enableWebVTT: false,
      enableIMSC1: false,
      enableCEA708Captions: false
    });
    element.hlsPlayer = hls;
    var started = false;
    element.addEventListener("play", function () {
      if (!started) {
        started = true;
        hls.startLoad(-1);
      }
    });
    hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
      if (started) hls.startLoad(-1); // a playlist loaded again after the viewer pressed play
    });
    hls.on(window.Hls.Events.ERROR, function (_event, data) {
      if (!data.fatal) return;
      if (live) onFatalLive(hls, data, element);
      else onFatalRecording(hls, element, started);
    });
    hls.loadSource(element.dataset.hlsSrc);
    hls.attachMedia(element);
  }

  function withHls(callback) {
    if (window.Hls) {
      callback();
      return;
    }
    waiting.push(callback);
    if (loading) return;
    loading = true;
    var loader = document.createElement("script");
    loader.src = script.dataset.hls;
    loader.onload = function () {
      waiting.splice(0).forEach(function (fn) { fn(); });
    };
    document.head.appendChild(loader);
  }

  function attach(element) {
    if (!hasMse) {
      if (element.canPlayType("application/vnd.apple.mpegurl")) attachNative(element);
      return;
    }
    withHls(function () {
      if (window.Hls.isSupported()) attachHls(element);
    });
  }

  function detach(element) {
    if (element.hlsPlayer) {
      element.hlsPlayer.destroy();
      element.hlsPlayer = null;
    }
    element.pause();
    element.removeAttribute("src");
    element.load();
  }

  // Play on the viewer's tap, once hls.js is there (the tap lets the sound play too).
  function play(element) {
    function start() {
      var promise = element.play();
      if (promise && promise.catch) promise.catch(function () {});
    }
    if (!hasMse) {
      attach(element);
      start();
      return;
    }
    withHls(function () {
      if (window.Hls.isSupported()) attachHls(element);
      start();
    });
  }

  window.KotikanavaPlayer = { attach: attach, detach: detach, play: play };

  var media = Array.prototype.slice.call(document.querySelectorAll("[data-hls-src]"));
  if (!media.length) return;
  function attachAll() { media.forEach(attach); }
  if (!hasMse || document.readyState === "complete") attachAll();
  else window.addEventListener("load", attachAll);
})();
