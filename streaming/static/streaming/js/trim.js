// The trim page: a preview of the whole recording (hls.js where the browser lacks HLS), start
// and end fields that accept mm:ss or seconds, storyboard buttons, and the resulting length on
// the same 2-second grid the server cuts on. Everything works with the keyboard.
(function () {
  "use strict";

  const root = document.querySelector("[data-trim]");
  if (!root) return;
  const video = root.querySelector("[data-trim-preview]");
  const startField = root.querySelector("[data-trim-start]");
  const endField = root.querySelector("[data-trim-end]");
  const lengthOutput = root.querySelector("[data-trim-length]");
  const duration = parseFloat(root.dataset.duration) || 0;
  const grid = parseFloat(root.dataset.grid) || 2;

  function seconds(text) {
    const parts = String(text).trim().replace(",", ".").split(":");
    if (!parts[0] || parts.length > 3) return null;
    let total = 0;
    for (const part of parts) {
      const value = Number(part);
      if (!Number.isFinite(value) || value < 0) return null;
      total = total * 60 + value;
    }
    return total;
  }

  function clock(value) {
    const tenths = Math.round(value * 10);
    const rest = tenths % 600;
    const minutes = Math.floor(tenths / 600) % 60;
    const hours = Math.floor(tenths / 36000);
    let second = String(Math.floor(rest / 10)).padStart(2, "0");
    if (rest % 10) second += "." + (rest % 10);
    return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + second : minutes + ":" + second;
  }

  function update() {
    const start = seconds(startField.value);
    const end = seconds(endField.value);
    startField.setAttribute("aria-invalid", start === null ? "true" : "false");
    endField.setAttribute("aria-invalid", end === null ? "true" : "false");
    if (start === null || end === null || end <= start) {
      lengthOutput.textContent = "–";
      return;
    }
    const from = Math.floor(Math.max(0, start) / grid + 1e-9) * grid;
    const to = Math.min(duration, Math.ceil(Math.min(end, duration) / grid - 1e-9) * grid);
    lengthOutput.textContent = to > from ? clock(to - from) : "–";
  }

  function set(which, value) {
    const field = which === "start" ? startField : endField;
    field.value = clock(value);
    update();
    if (which === "start" && video) video.currentTime = value;
  }

  root.addEventListener("click", function (event) {
    const preset = event.target.closest("[data-trim-set]");
    if (preset) set(preset.dataset.trimSet, parseFloat(preset.dataset.seconds));
    const mark = event.target.closest("[data-trim-mark]");
    if (mark && video) set(mark.dataset.trimMark, video.currentTime);
  });
  startField.addEventListener("input", update);
  endField.addEventListener("input", update);
  update();

  function attach() {
    const source = root.dataset.preview;
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ startLevel: 0 });
      hls.loadSource(source);
      hls.attachMedia(video);
      window.kotikanavaTrimHls = hls;
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = source;
    }
  }

  if (video) {
    const script = document.createElement("script");
    script.src = root.dataset.hls;
    script.addEventListener("load", attach);
    document.head.appendChild(script);
  }
})();
