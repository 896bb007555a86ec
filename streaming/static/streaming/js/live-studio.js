// The host's studio: record the camera in one-second chunks and upload them in order.
// Every chunk carries its recording ("connection") and sequence number; the server answers with
// the next number it misses, refuses a closed recording with 410 (start a new one) and a session
// that cannot take a source with 409. Failed uploads are retried with backoff, in order.
// The recording bitrate is picked from the uplink measured before going live, and lowered when
// the upload falls behind: a new recorder, whose chunks name the one they continue, so the
// server goes on in the same broadcast. Another tab or device going live takes over; this one
// is told so and stops.
(function () {
  "use strict";

  const root = document.querySelector("[data-live-studio]");
  if (!root) return;

  const $ = (name) => root.querySelector(`[data-${name}]`);
  const text = (name) => root.dataset[`text${name[0].toUpperCase()}${name.slice(1)}`];
  const preview = $("preview");
  const cameraSelect = $("camera");
  const micSelect = $("microphone");
  const level = $("level");
  const goLive = $("go-live");
  const endButton = $("end");
  const elapsed = $("elapsed");
  const status = $("status");
  const connection = $("connection");
  const confirmDialog = $("confirm");

  const TIMESLICE_MS = 1000;
  const LADDER = [2500000, 1200000, 600000, 300000]; // video bits per second
  const HEADROOM = 0.7; // of the measured uplink, for sound, retries and other traffic
  const PROBE_BYTES = 128 * 1024;
  const BEHIND_SECONDS = 4;
  const LOWER_EVERY_MS = 8000;
  const TYPES = [
    "video/webm;codecs=vp8,opus",
    "video/webm;codecs=vp9,opus",
    "video/webm;codecs=h264,opus",
    "video/webm",
    "video/mp4;codecs=avc1,mp4a",
    "video/mp4",
  ];

  let stream = null;
  let recorder = null;
  let mimeType = "";
  let bitrate = LADDER[2];
  let measured = 0; // bits per second of recent uploads
  let measuring = null;
  let liveSince = 0;
  let stopped = false;
  let recording = null; // {id, seq}
  const queue = []; // {connection, seq, blob}
  let sending = false;
  let lowered = 0;

  function newConnectionId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function say(message) {
    status.textContent = message || "";
  }

  async function openDevices() {
    const constraints = {
      video: cameraSelect.value ? { deviceId: { exact: cameraSelect.value } } : { width: 1280, height: 720 },
      audio: micSelect.value ? { deviceId: { exact: micSelect.value } } : true,
    };
    try {
      const next = await navigator.mediaDevices.getUserMedia(constraints);
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = next;
    } catch (error) {
      say(text("noCamera"));
      return;
    }
    preview.srcObject = stream;
    meter(stream);
    await listDevices();
    measuring = measuring || measureUplink();
    goLive.disabled = false;
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    fill(cameraSelect, devices.filter((d) => d.kind === "videoinput"), stream.getVideoTracks()[0]);
    fill(micSelect, devices.filter((d) => d.kind === "audioinput"), stream.getAudioTracks()[0]);
  }

  function fill(select, devices, track) {
    const current = track ? track.getSettings().deviceId : "";
    select.replaceChildren(
      ...devices.map((device, index) => {
        const option = new Option(device.label || `${index + 1}`, device.deviceId);
        option.selected = device.deviceId === current;
        return option;
      })
    );
  }

  let audioContext = null;
  function meter(source) {
    if (!source.getAudioTracks().length) return;
    audioContext = audioContext || new AudioContext();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    audioContext.createMediaStreamSource(source).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const draw = () => {
      if (stream !== source) return;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const value of samples) sum += value * value;
      level.value = Math.min(1, Math.sqrt(sum / samples.length) * 3);
      requestAnimationFrame(draw);
    };
    draw();
  }

  function fitting(rate) {
    return LADDER.find((rung) => rung <= rate * HEADROOM) || LADDER[LADDER.length - 1];
  }

  function setBitrate(value) {
    bitrate = value;
    root.dataset.bitrate = String(value);
  }

  // Time one small upload to the chunk endpoint (the server reads and drops it).
  async function measureUplink() {
    const body = new Uint8Array(PROBE_BYTES);
    crypto.getRandomValues(body.subarray(0, 65536));
    const started = performance.now();
    try {
      const response = await fetch(`${root.dataset.chunkUrl}?probe=1`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/octet-stream", "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const seconds = Math.max(0.01, (performance.now() - started) / 1000);
      measured = (PROBE_BYTES * 8) / seconds;
      setBitrate(fitting(measured));
      root.dataset.uplink = String(Math.round(measured));
    } catch (error) {
      setBitrate(LADDER[LADDER.length - 1]);
    }
  }

  function startRecorder(previous) {
    recording = { id: newConnectionId(), seq: 0, previous: previous ? `${previous.id}:${previous.seq}` : "" };
    const current = recording;
    recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: bitrate, audioBitsPerSecond: 64000 });
    recorder.addEventListener("dataavailable", (event) => {
      if (!event.data || !event.data.size) return;
      queue.push({ connection: current.id, seq: current.seq++, blob: event.data, previous: current.previous });
      pump();
    });
    recorder.start(TIMESLICE_MS);
  }

  // A new recorder (a new bitrate, or the server closed the old recording). `continuing`: the
  // server goes on from the old recording within the same broadcast, after its last chunk.
  function restartRecorder(continuing) {
    if (stopped || !recorder) return;
    const old = recorder;
    const oldRecording = recording;
    recorder = null;
    old.addEventListener("stop", () => { if (!stopped) startRecorder(continuing ? oldRecording : null); }, { once: true });
    old.stop();
  }

  async function pump() {
    if (sending) return;
    sending = true;
    let delay = 500;
    while (queue.length) {
      const chunk = queue[0];
      let url = `${root.dataset.chunkUrl}?connection=${chunk.connection}&seq=${chunk.seq}`;
      if (chunk.previous) url += `&previous=${chunk.previous}`;
      const started = performance.now();
      let response = null;
      try {
        response = await fetch(url, {
          method: "POST",
          body: chunk.blob,
          headers: { "Content-Type": mimeType, "X-CSRFToken": csrfToken() },
          credentials: "same-origin",
        });
      } catch (error) {
        response = null;
      }
      if (response && response.ok) {
        const seconds = Math.max(0.05, (performance.now() - started) / 1000);
        const rate = (chunk.blob.size * 8) / seconds;
        measured = measured ? measured * 0.7 + rate * 0.3 : rate;
        const answer = await response.json();
        // Drop what the server has; a lower `expected` names a chunk to send again.
        while (queue.length && queue[0].connection === chunk.connection && queue[0].seq < answer.expected) queue.shift();
        const missing = queue.findIndex((c) => c.connection === chunk.connection && c.seq === answer.expected);
        if (missing > 0) queue.unshift(...queue.splice(missing, 1));
        delay = 500;
        showConnection();
        continue;
      }
      if (response && response.status === 410) {
        // This recording was closed on the server (we were away too long): start a new one.
        dropConnection(chunk.connection);
        if (recording && recording.id === chunk.connection) restartRecorder(false);
        continue;
      }
      if (response && response.status === 409) {
        const reason = (await response.json()).error;
        const known = { busy: "busy", window: "window", replaced: "replaced" };
        say(text(known[reason] || "over"));
        queue.length = 0;
        connection.textContent = "";
        delete connection.dataset.behind;
        stopRecording();
        break;
      }
      connection.textContent = text("retrying");
      connection.dataset.behind = "";
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
    sending = false;
  }

  function dropConnection(id) {
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].connection === id) queue.splice(i, 1);
  }

  function showConnection() {
    const seconds = queue.length * (TIMESLICE_MS / 1000);
    const bytes = queue.reduce((sum, c) => sum + c.blob.size, 0);
    if (seconds < BEHIND_SECONDS) {
      connection.textContent = liveSince ? text("ok") : "";
      delete connection.dataset.behind;
      return;
    }
    connection.textContent = text("behind")
      .replace("%(seconds)s", String(Math.round(seconds)))
      .replace("%(kilobytes)s", String(Math.round(bytes / 1024)));
    connection.dataset.behind = "";
    // One rung down at least, to what the uplink carried, at most every few seconds.
    const lower = LADDER.filter((rung) => rung < bitrate);
    if (Date.now() - lowered > LOWER_EVERY_MS && lower.length) {
      lowered = Date.now();
      setBitrate(Math.min(lower[0], fitting(measured || 0)));
      restartRecorder(true);
    }
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function tick() {
    if (!liveSince || stopped) return;
    const total = Math.floor((Date.now() - liveSince) / 1000);
    const pad = (n) => String(n).padStart(2, "0");
    elapsed.textContent = `${Math.floor(total / 3600)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
    // While a slow upload is still in flight, the waiting chunks say the upload is behind.
    if (queue.length * (TIMESLICE_MS / 1000) >= BEHIND_SECONDS) showConnection();
    setTimeout(tick, 1000);
  }

  // Resolves once the recorder has handed over its last chunk.
  function stopRecording() {
    stopped = true;
    let last = Promise.resolve();
    if (recorder && recorder.state !== "inactive") {
      last = new Promise((resolve) => recorder.addEventListener("stop", resolve, { once: true }));
      recorder.stop();
    }
    goLive.hidden = true;
    endButton.hidden = true;
    cameraSelect.disabled = true;
    micSelect.disabled = true;
    return last;
  }

  goLive.addEventListener("click", async () => {
    if (typeof MediaRecorder === "undefined") return say(text("unsupported"));
    mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
    if (!mimeType || !stream) return say(text("unsupported"));
    goLive.disabled = true;
    if (measuring) await measuring;
    goLive.hidden = true;
    endButton.hidden = false;
    cameraSelect.disabled = true;
    micSelect.disabled = true;
    liveSince = Date.now();
    say(text("live"));
    startRecorder();
    tick();
  });

  endButton.addEventListener("click", () => confirmDialog.showModal());
  $("confirm-cancel").addEventListener("click", () => confirmDialog.close());
  $("confirm-end").addEventListener("click", async () => {
    confirmDialog.close();
    await Promise.race([stopRecording(), new Promise((r) => setTimeout(r, 3000))]);
    // Let the last chunk go first, so the recording keeps the final second.
    const deadline = Date.now() + 5000;
    while ((queue.length || sending) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const response = await fetch(root.dataset.endUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    if (response.ok) say(text("ended"));
    if (stream) stream.getTracks().forEach((track) => track.stop());
  });

  cameraSelect.addEventListener("change", openDevices);
  micSelect.addEventListener("change", openDevices);
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) openDevices();
  else say(text("noCamera"));
})();
