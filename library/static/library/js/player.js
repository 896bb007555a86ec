// Plays the HLS ladder: hls.js wherever Media Source Extensions exist (it lets us start low and
// adapt carefully), native HLS otherwise (iPhone Safari), and the progressive MP4 <source> as the
// last resort. Nothing of the stream is fetched before the viewer presses play (preload="none"),
// and hls.js itself (about 160 kB compressed) is fetched only after the page has finished loading,
// or at once when play is pressed before then: play waits for it (and says it is starting) rather
// than starting the MP4, which stalls on a weak link and never steps down.
// Playback starts on the lowest rung with a low bandwidth guess, so a weak rural connection gets
// a picture quickly and steps up only when it can, never above the player's size.
//
// The large controls (includes/player_controls.html) replace the browser's own when this script
// runs. Their quality choice is kept on the device (localStorage) for every player, recordings
// and live sessions alike: "auto" (adaptive), "low" (the smallest rung) or "audio" (save data:
// the master playlist's audio-only variant, loaded as its own playlist because hls.js drops
// audio-only variants from a ladder that has video; the poster stays in view).
//
// Live broadcasts (data-live) play the same way; a live session's page adds its player after
// loading, so `window.KotikanavaPlayer` offers `attach`, `detach` and `play` (on a tap) too.
(function () {
  "use strict";
  var script = document.currentScript;
  var hasMse = "MediaSource" in window || "ManagedMediaSource" in window;
  var waiting = [];
  var loading = false;
  var MODE_KEY = "kotikanava.player.mode";
  var SIZE_KEY = "kotikanava.player.captionSize";
  var MODES = ["auto", "low", "audio"];
  var SIZES = ["normal", "large", "largest"];

  function remembered(key, allowed) {
    try {
      var value = window.localStorage.getItem(key);
      return allowed.indexOf(value) !== -1 ? value : allowed[0];
    } catch (error) {
      return allowed[0];
    }
  }

  function remember(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode: forget */ }
  }

  function modeOf(element) {
    return element.tagName === "VIDEO" ? remembered(MODE_KEY, MODES) : "auto";
  }

  function untouched(element) {
    return element.paused && !element.played.length && element.readyState === 0;
  }

  function settle(promise) {
    if (promise && promise.catch) promise.catch(function () {});
  }

  // The master playlist's variants: what each mode costs, and where the audio-only one is.
  function parseMaster(text, base) {
    var lines = text.split(/\r?\n/);
    var ladder = { video: [], audio: null, groups: {} };
    for (var i = 0; i < lines.length; i++) {
      var rendition = /^#EXT-X-MEDIA:.*TYPE=AUDIO.*GROUP-ID="([^"]*)".*URI="([^"]*)"/.exec(lines[i]);
      if (rendition && (!ladder.groups[rendition[1]] || /DEFAULT=YES/.test(lines[i]))) {
        ladder.groups[rendition[1]] = new URL(rendition[2], base).href;
      }
      if (lines[i].indexOf("#EXT-X-STREAM-INF:") !== 0) continue;
      var attrs = {};
      lines[i].slice(18).replace(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g, function (_, name, value) {
        attrs[name] = value.replace(/^"|"$/g, "");
      });
      var uri = lines[i + 1];
      if (!uri || uri.charAt(0) === "#") continue;
      var variant = {
        bandwidth: parseInt(attrs.BANDWIDTH, 10) || 0,
        url: new URL(uri, base).href,
        audioGroup: attrs.AUDIO || ""
      };
      var hasVideo = attrs.RESOLUTION || /avc1|avc3|hvc1|hev1|av01|vp09|vp8/.test(attrs.CODECS || "");
      if (hasVideo) ladder.video.push(variant);
      else if (!ladder.audio || variant.bandwidth < ladder.audio.bandwidth) ladder.audio = variant;
    }
    ladder.video.sort(function (a, b) { return a.bandwidth - b.bandwidth; });
    return ladder;
  }

  function ladderOf(element) {
    if (!element.ladder) {
      var url = new URL(element.dataset.hlsSrc, document.baseURI).href;
      element.ladder = window.fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (text) { return parseMaster(text, url); });
      element.ladder.catch(function () { element.ladder = null; });
    }
    return element.ladder;
  }

  // Where the element's stream comes from in its mode: the master playlist, or its audio alone.
  function sourceFor(element, mode) {
    if (mode !== "audio" || !element.dataset.hlsSrc) return Promise.resolve(element.dataset.hlsSrc);
    return ladderOf(element).then(
      function (ladder) { return ladder.audio ? ladder.audio.url : element.dataset.hlsSrc; },
      function () { return element.dataset.hlsSrc; }
    );
  }

  // Warm the browser's HTTP cache, once the page has loaded and the browser is idle, with what
  // playback starts with: the playlists and init segments of the lowest rung and its sound (or
  // of the sound alone when saving data), a few kB at low priority. On a 400 ms round trip each
  // of those is a round trip saved after play, so the first request then is the first segment.
  // Play pressed before hls.js has arrived warms at once, while hls.js (160 kB) downloads, so
  // hls.js finds them there instead of asking for them one after another (the browser makes a
  // request for a URL already on its way wait for that answer, so nothing comes twice).
  // Segments themselves are never fetched before play. Live playlists change: not for live.
  function fetchWarm(url, priority) {
    return window.fetch(url, { credentials: "same-origin", priority: priority }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r;
    });
  }

  function warmPlaylist(url, priority) {
    return fetchWarm(url, priority).then(function (r) { return r.text(); }).then(function (text) {
      var map = /#EXT-X-MAP:URI="([^"]+)"/.exec(text);
      if (!map) return;
      return fetchWarm(new URL(map[1], url).href, priority).then(function (r) { return r.blob(); });
    });
  }

  // `pressed`: play was pressed before hls.js arrived, the warm-up is on the way to the picture.
  function warmUp(element, pressed) {
    // hls.js attached before the browser was idle has loaded the master playlist only (it
    // starts loading on play), so the warm-up is still worth its few kB then.
    if (element.warmed || !element.dataset.hlsSrc) return;
    if (element.playRequested && !pressed) return;
    if ("live" in element.dataset || !untouched(element)) return;
    element.warmed = true;
    var mode = modeOf(element);
    ladderOf(element).then(function (ladder) {
      var lowest = ladder.video[0];
      var urls = [];
      if (mode === "audio" && ladder.audio) urls.push(ladder.audio.url);
      else if (lowest) urls.push(lowest.url, ladder.groups[lowest.audioGroup]);
      urls.forEach(function (url) {
        if (url) settle(warmPlaylist(url, pressed ? "auto" : "low"));
      });
    }, function () {});
  }

  function whenIdle(callback) {
    if (window.requestIdleCallback) window.requestIdleCallback(callback, { timeout: 2000 });
    else window.setTimeout(callback, 200);
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
    if (element.nativeAttaching) return element.nativeAttaching;
    if (!untouched(element)) return Promise.resolve();
    element.nativeAttaching = sourceFor(element, modeOf(element)).then(function (url) {
      if (!untouched(element)) return;
      useStreamCaptions(element);
      element.src = url;
    });
    return element.nativeAttaching;
  }

  function destroyHls(element) {
    var hls = element.hlsPlayer;
    if (!hls) return;
    element.removeEventListener("play", hls.kotikanavaStart);
    hls.destroy();
    element.hlsPlayer = null;
  }

  function onFatalRecording(hls, element, started) {
    destroyHls(element);
    element.removeAttribute("data-hls-src");
    element.load(); // falls back to the MP4 <source>
    if (started) settle(element.play());
  }

  // A live stream has no MP4 to fall back to: retry the network, recover the decoder. A master
  // playlist that never loaded (the packager was restarting) is asked for again.
  function onFatalLive(hls, data, url) {
    if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError();
      return;
    }
    window.setTimeout(function () {
      if (hls.levels && hls.levels.length) hls.startLoad(-1);
      else hls.loadSource(url);
    }, 2000);
  }

  // One hls.js for one source. It loads segments only once the element plays; resumeAt carries
  // the position over when the viewer changes mode mid-way.
  function createHls(element, url, mode, resumeAt) {
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
      enableCEA708Captions: false,
      // No interstitials are ever scheduled here. hls.js 1.6's interstitials controller starts
      // loading segments as soon as it sees a media playlist, autoStartLoad or not: with the
      // data saver's audio playlist as the source that was 20 s of sound fetched before play.
      interstitialsController: null
    });
    element.hlsPlayer = hls;
    hls.kotikanavaUrl = url;
    var started = false;
    var from = resumeAt > 0 && !live ? resumeAt : -1;
    hls.kotikanavaStart = function () {
      if (started) return;
      started = true;
      hls.startLoad(from);
    };
    element.addEventListener("play", hls.kotikanavaStart);
    hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
      if (mode === "low") hls.loadLevel = 0; // the smallest rung, chosen and kept
      if (started) hls.startLoad(from); // a playlist loaded again after the viewer pressed play
    });
    hls.on(window.Hls.Events.ERROR, function (_event, data) {
      if (!data.fatal) return;
      if (live) onFatalLive(hls, data, url);
      else onFatalRecording(hls, element, started);
    });
    hls.loadSource(url);
    hls.attachMedia(element);
    return hls;
  }

  function attachHls(element) {
    if (element.hlsPlayer || !element.dataset.hlsSrc) return Promise.resolve();
    if (element.hlsAttaching) return element.hlsAttaching;
    if (!untouched(element)) return Promise.resolve(); // already playing the MP4: leave it alone
    var mode = modeOf(element);
    element.hlsAttaching = sourceFor(element, mode).then(function (url) {
      element.hlsAttaching = null;
      if (!element.hlsPlayer && untouched(element) && element.dataset.hlsSrc) {
        createHls(element, url, mode, 0);
      }
    });
    return element.hlsAttaching;
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

  // The element with its stream attached (a promise): hls.js, native HLS, or nothing to do.
  function prepare(element) {
    if (!element.dataset.hlsSrc) return Promise.resolve();
    if (!hasMse) {
      if (element.canPlayType("application/vnd.apple.mpegurl")) return attachNative(element);
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      withHls(function () {
        if (window.Hls.isSupported()) attachHls(element).then(resolve, resolve);
        else resolve();
      });
    });
  }

  function attach(element) {
    setUpControls(element);
    settle(prepare(element));
    if (window.fetch) whenIdle(function () { warmUp(element); });
  }

  function detach(element) {
    destroyHls(element);
    element.pause();
    element.removeAttribute("src");
    element.load();
  }

  // Play on the viewer's tap, once the stream is attached (the tap lets the sound play too).
  function play(element) {
    var controls = element.kotikanavaControls;
    var ready = element.hlsPlayer || !hasMse || !element.dataset.hlsSrc;
    if (!ready) {
      if (controls) controls.starting();
      if (window.fetch) warmUp(element, true);
    }
    element.playRequested = true;
    return prepare(element).then(function () {
      settle(element.play());
    });
  }

  // Change mode: the same hls.js steps to another rung; listening only (or back) swaps the
  // source and carries on from the same moment.
  function setMode(element, mode) {
    remember(MODE_KEY, mode);
    var hls = element.hlsPlayer;
    if (!hls && !element.getAttribute("src")) return Promise.resolve(); // attached later, in mode
    return sourceFor(element, mode).then(function (url) {
      var resumeAt = element.currentTime;
      var playing = !element.paused && !element.ended;
      if (hls && hls === element.hlsPlayer && hls.kotikanavaUrl === url) {
        hls.nextLevel = mode === "low" ? 0 : -1;
        return;
      }
      if (hls) {
        destroyHls(element);
        createHls(element, url, mode, resumeAt);
      } else if (element.src) {
        element.src = url;
        element.addEventListener("loadedmetadata", function () {
          if (resumeAt) element.currentTime = resumeAt;
        }, { once: true });
      }
      if (playing) settle(element.play());
    });
  }

  function megabytesPerMinute(bitsPerSecond) {
    var mb = bitsPerSecond * 60 / 8 / 1e6;
    var digits = mb < 10 ? 1 : 0;
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, {
        minimumFractionDigits: digits, maximumFractionDigits: digits
      }).format(mb);
    } catch (error) {
      return mb.toFixed(digits);
    }
  }

  function setUpControls(element) {
    if (element.kotikanavaControls || !element.id) return;
    var player = element.closest(".player") || element.parentNode;
    var root = player.querySelector('[data-controls-for="' + element.id + '"]');
    if (!root) return;
    function control(name) { return root.querySelector('[data-control="' + name + '"]'); }
    var status = root.querySelector("[data-status]");
    var api = {};
    element.kotikanavaControls = api;
    element.removeAttribute("controls");
    element.setAttribute("data-controlled", "");
    root.hidden = false;

    function announce(text) {
      if (status.textContent === text) {
        status.textContent = "";
        window.setTimeout(function () { status.textContent = text; }, 100);
      } else {
        status.textContent = text;
      }
    }

    api.starting = function () { announce(root.dataset.starting); };
    element.addEventListener("playing", function () {
      if (status.textContent === root.dataset.starting) status.textContent = "";
    });

    // Play and pause: the button's own text says what it will do.
    var playButton = control("play");
    var tapped = false;
    function showPlayState() {
      var playing = !element.paused && !element.ended;
      playButton.querySelector("[data-label]").textContent =
        playing ? playButton.dataset.labelPause : playButton.dataset.labelPlay;
      playButton.querySelector('[data-icon="play"]').hidden = playing;
      playButton.querySelector('[data-icon="pause"]').hidden = !playing;
      if (tapped) {
        tapped = false;
        announce(playing ? root.dataset.announcePlaying : root.dataset.announcePaused);
      }
    }
    function toggle() {
      if (element.paused || element.ended) settle(play(element));
      else element.pause();
    }
    ["play", "pause", "ended", "emptied"].forEach(function (name) {
      element.addEventListener(name, showPlayState);
    });
    playButton.addEventListener("click", toggle);
    element.addEventListener("click", function () {
      tapped = true;
      toggle();
    });
    // The picture answers the keys the browser's own controls did, when it has the focus (a
    // screen reader's or a script's; it is no tab stop of its own, the play button is).
    if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.addEventListener("keydown", function (event) {
      if (event.key !== " " && event.key !== "Enter") return;
      event.preventDefault();
      tapped = true;
      toggle();
    });

    var back = control("back");
    if (back) {
      back.addEventListener("click", function () {
        if (element.readyState > 0) element.currentTime = Math.max(0, element.currentTime - 10);
      });
    }

    // Captions: the page's own <track>s, shown or hidden; the size is kept on the device.
    var captions = control("captions");
    if (captions) {
      var tracks = function () {
        return Array.prototype.filter.call(element.textTracks, function (track) {
          return track.kind === "captions" || track.kind === "subtitles";
        });
      };
      var chosen = null;
      var showCaptionState = function () {
        var on = tracks().some(function (track) { return track.mode === "showing"; });
        captions.setAttribute("aria-pressed", on ? "true" : "false");
        return on;
      };
      captions.addEventListener("click", function () {
        var list = tracks();
        var showing = list.filter(function (track) { return track.mode === "showing"; });
        if (showing.length) {
          chosen = showing[0];
          showing.forEach(function (track) { track.mode = "hidden"; });
        } else {
          var fallback = Array.prototype.filter.call(element.querySelectorAll("track"), function (t) {
            return t.default;
          })[0];
          (chosen || (fallback && fallback.track) || list[0]).mode = "showing";
        }
        announce(showCaptionState() ? captions.dataset.announceOn : captions.dataset.announceOff);
      });
      if (element.textTracks.addEventListener) {
        element.textTracks.addEventListener("change", showCaptionState);
      }
      showCaptionState();
    }

    var size = control("caption-size");
    if (size) {
      var showSize = function (value, spoken) {
        SIZES.forEach(function (name) {
          player.classList.toggle("player--captions-" + name, name === value);
        });
        var label = size.dataset["label" + value.charAt(0).toUpperCase() + value.slice(1)];
        size.querySelector("[data-label]").textContent = label;
        if (spoken) announce(label);
      };
      var current = remembered(SIZE_KEY, SIZES);
      showSize(current, false);
      size.addEventListener("click", function () {
        current = SIZES[(SIZES.indexOf(current) + 1) % SIZES.length];
        remember(SIZE_KEY, current);
        showSize(current, true);
      });
    }

    // Quality and data: three choices with what a minute of each costs.
    var quality = control("quality");
    var panel = quality && document.getElementById(quality.getAttribute("aria-controls"));
    if (panel) {
      var listening = root.querySelector("[data-listening]");
      var radios = Array.prototype.slice.call(panel.querySelectorAll("input[type=radio]"));
      var showMode = function (mode) {
        radios.forEach(function (radio) { radio.checked = radio.value === mode; });
        listening.hidden = mode !== "audio";
        player.classList.toggle("player--listening", mode === "audio");
      };
      var costs = function () {
        ladderOf(element).then(function (ladder) {
          function put(name, template, bandwidth) {
            var node = panel.querySelector('[data-cost="' + name + '"]');
            if (bandwidth) node.textContent = template.replace("%(mb)s", megabytesPerMinute(bandwidth));
          }
          var video = ladder.video;
          if (video.length) {
            put("auto", root.dataset.upToPerMinute, video[video.length - 1].bandwidth);
            put("low", root.dataset.perMinute, video[0].bandwidth);
          }
          if (ladder.audio) put("audio", root.dataset.perMinute, ladder.audio.bandwidth);
          else panel.querySelector('input[value="audio"]').closest("label").hidden = true;
        }, function () {});
      };
      showMode(modeOf(element));
      quality.addEventListener("click", function () {
        var open = quality.getAttribute("aria-expanded") !== "true";
        quality.setAttribute("aria-expanded", open ? "true" : "false");
        panel.hidden = !open;
        if (open) costs();
      });
      radios.forEach(function (radio) {
        radio.addEventListener("change", function () {
          if (!radio.checked) return;
          showMode(radio.value);
          settle(setMode(element, radio.value));
          var label = radio.closest("label");
          announce(label.querySelector("strong").textContent + ". " +
            label.querySelector("[data-cost]").textContent);
        });
      });
    }

    // Full screen: the player with its controls, or the video alone where only that is allowed.
    var full = control("fullscreen");
    if (full) {
      var canFull = player.requestFullscreen || element.webkitEnterFullscreen;
      if (!canFull) full.hidden = true;
      var showFull = function () {
        var on = document.fullscreenElement === player;
        full.querySelector("[data-label]").textContent =
          on ? full.dataset.labelExit : full.dataset.labelEnter;
      };
      full.addEventListener("click", function () {
        if (document.fullscreenElement) settle(document.exitFullscreen());
        else if (player.requestFullscreen) settle(player.requestFullscreen());
        else element.webkitEnterFullscreen();
      });
      document.addEventListener("fullscreenchange", showFull);
    }
  }

  window.KotikanavaPlayer = { attach: attach, detach: detach, play: play };

  var media = Array.prototype.slice.call(document.querySelectorAll("[data-hls-src]"));
  if (!media.length) return;
  media.forEach(setUpControls);
  function attachAll() { media.forEach(attach); }
  if (!hasMse || document.readyState === "complete") attachAll();
  else window.addEventListener("load", attachAll);
})();
