// "Save on this device" and the Saved page. Saving puts the small MP4, its poster and the page
// (with the stylesheets and scripts it uses, and the Saved page itself) into Cache Storage,
// fetched with the viewer's own cookies: only what this viewer may fetch is stored, and only
// when they ask. The service worker (service-worker.js) serves them when the network is gone.
// Messages come from the page's data-msg-* attributes (translated by Django).
(function () {
  "use strict";
  if (window.KotikanavaOffline) return;
  // The service worker (/sw.js, scope: the whole site) is registered from the pages that save or
  // list videos only: pages without video load no script at all.
  var worker = document.currentScript && document.currentScript.dataset.worker;
  if (worker && "serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
  }
  // One cache per saved page: deleting a whole cache is what frees its space at once.
  var SAVED_PREFIX = "kotikanava-saved:";
  var INDEX = "kotikanava-saved-index-v1";
  var SHELL = "kotikanava-shell-v1";
  var supported = "caches" in window && window.isSecureContext;
  var language = document.documentElement.lang || "fi";

  function absolute(url) { return new URL(url, location.href).href; }

  function formatSize(bytes) {
    var megabytes = bytes / 1000000;
    var options = { style: "unit", unit: "megabyte", unitDisplay: "short",
      maximumFractionDigits: megabytes < 10 ? 1 : 0 };
    try {
      return new Intl.NumberFormat(language, options).format(megabytes);
    } catch (error) {
      return megabytes.toFixed(1) + " MB";
    }
  }

  function message(element, name, values) {
    var text = element.dataset["msg" + name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function isQuotaError(error) {
    return !!error && (error.name === "QuotaExceededError" || error.code === 22);
  }

  function estimate() {
    if (!navigator.storage || !navigator.storage.estimate) return Promise.resolve(null);
    return navigator.storage.estimate().catch(function () { return null; });
  }

  function storable(response) {
    return response.ok && response.type !== "opaque" &&
      !/no-store/.test(response.headers.get("Cache-Control") || "");
  }

  // The response's body read in full, reporting progress; a new Response the cache can keep.
  function download(url, onProgress) {
    return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
      if (!storable(response)) throw new Error("HTTP " + response.status);
      var total = parseInt(response.headers.get("Content-Length") || "0", 10);
      var type = response.headers.get("Content-Type") || "application/octet-stream";
      var reader = response.body && response.body.getReader && response.body.getReader();
      if (!reader) return response.blob().then(function (blob) { return [blob, type]; });
      var chunks = [];
      var received = 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return [new Blob(chunks, { type: type }), type];
          chunks.push(step.value);
          received += step.value.length;
          if (onProgress) onProgress(received, total);
          return pump();
        });
      }
      return pump();
    }).then(function (result) {
      var blob = result[0];
      return new Response(blob, { headers: {
        "Content-Type": result[1], "Content-Length": String(blob.size) } });
    });
  }

  function assetsOf(root) {
    var urls = [];
    root.querySelectorAll("link[rel~='stylesheet'][href], script[src], link[rel='manifest'][href]")
      .forEach(function (node) { urls.push(node.getAttribute("href") || node.getAttribute("src")); });
    root.querySelectorAll("script[data-hls]").forEach(function (node) { urls.push(node.dataset.hls); });
    return urls.map(absolute).filter(function (url) {
      return new URL(url).origin === location.origin;
    });
  }

  // The Saved page and the stylesheets and scripts of it and of `page`: the app shell.
  function saveShell(savedUrl, pageDocument) {
    return caches.open(SHELL).then(function (shell) {
      return fetch(savedUrl, { credentials: "same-origin" }).then(function (response) {
        if (!storable(response)) return [];
        return response.clone().text().then(function (html) {
          var parsed = new DOMParser().parseFromString(html, "text/html");
          return shell.put(absolute(savedUrl), response).then(function () {
            return assetsOf(parsed);
          });
        });
      }).then(function (urls) {
        urls = urls.concat(pageDocument ? assetsOf(pageDocument) : []);
        var unique = urls.filter(function (url, i) { return urls.indexOf(url) === i; });
        return Promise.all(unique.map(function (url) {
          return shell.match(url).then(function (hit) {
            if (hit) return null;
            return fetch(url, { credentials: "same-origin" }).then(function (response) {
              return storable(response) ? shell.put(url, response) : null;
            });
          });
        }));
      });
    });
  }

  function readIndex() {
    return caches.open(INDEX).then(function (index) {
      return index.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) {
          return index.match(request).then(function (response) { return response.json(); });
        }));
      });
    }).then(function (items) {
      return items.sort(function (a, b) { return b.savedAt - a.savedAt; });
    });
  }

  function itemCache(item) { return SAVED_PREFIX + new URL(item.page).pathname; }

  function removeItem(item) {
    return caches.delete(itemCache(item)).then(function () {
      return caches.open(INDEX).then(function (index) { return index.delete(item.page); });
    });
  }

  // ---- "Save on this device" ----

  function setupSaver(box) {
    var button = box.querySelector("[data-save-button]");
    var progress = box.querySelector("progress");
    var status = box.querySelector("[data-save-status]");
    var done = box.querySelector("[data-save-done]");
    var item = {
      page: absolute(box.dataset.page),
      title: box.dataset.title,
      lang: language,
      video: absolute(box.dataset.video),
      poster: box.dataset.poster ? absolute(box.dataset.poster) : "",
      bytes: 0,
      savedAt: Date.now()
    };
    var expected = parseInt(box.dataset.size || "0", 10);
    // Offline, the stream cannot load: the player keeps to the MP4 (the saved copy) instead.
    // This runs before the page's load event, when player.js would attach the stream.
    var player = box.closest(".player");
    var media = player && player.querySelector("video[data-hls-src]");
    if (media && !navigator.onLine) media.removeAttribute("data-hls-src");

    function showSaved() {
      button.hidden = true;
      progress.hidden = true;
      done.hidden = false;
    }

    caches.open(INDEX).then(function (index) { return index.match(item.page); })
      .then(function (hit) { if (hit) showSaved(); });
    box.hidden = false;

    function fail(error) {
      progress.hidden = true;
      button.disabled = false;
      status.textContent = message(box, isQuotaError(error) ? "Quota" : "Failed");
      return removeItem(item).catch(function () {});
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      status.textContent = message(box, "Saving", { percent: "0 %" });
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      estimate().then(function (space) {
        if (space && space.quota && expected && space.quota - space.usage < expected * 1.1) {
          var error = new Error("not enough space");
          error.name = "QuotaExceededError";
          throw error;
        }
        return caches.open(itemCache(item));
      }).then(function (saved) {
        return download(item.video, function (received, total) {
          var percent = Math.min(99, Math.floor((received / (total || expected || received)) * 100));
          progress.value = percent;
          status.textContent = message(box, "Saving", { percent: percent + " %" });
        }).then(function (video) {
          item.bytes += parseInt(video.headers.get("Content-Length"), 10);
          return saved.put(item.video, video);
        }).then(function () {
          return item.poster ? download(item.poster).then(function (poster) {
            item.bytes += parseInt(poster.headers.get("Content-Length"), 10);
            return saved.put(item.poster, poster);
          }) : null;
        }).then(function () {
          return fetch(item.page, { credentials: "same-origin" }).then(function (page) {
            if (!storable(page)) throw new Error("HTTP " + page.status);
            return page.clone().blob().then(function (body) {
              item.bytes += body.size;
              return saved.put(item.page, page);
            });
          });
        });
      }).then(function () {
        return saveShell(box.dataset.savedUrl, document);
      }).then(function () {
        return caches.open(INDEX).then(function (index) {
          return index.put(item.page, new Response(JSON.stringify(item), {
            headers: { "Content-Type": "application/json" } }));
        });
      }).then(function () {
        progress.value = 100;
        status.textContent = message(box, "Saved", { size: formatSize(item.bytes) });
        showSaved();
      }).catch(fail);
    });
  }

  // ---- The Saved page ----

  function setupSavedList(root) {
    var list = root.querySelector("[data-saved-items]");
    var empty = root.querySelector("[data-saved-empty]");
    var total = root.querySelector("[data-saved-total]");
    var status = root.querySelector("[data-saved-status]");
    if (!supported) {
      root.querySelector("[data-saved-unsupported]").hidden = false;
      return;
    }
    if (navigator.onLine) saveShell(location.pathname, null).catch(function () {});

    function render() {
      return readIndex().then(function (items) {
        list.textContent = "";
        empty.hidden = items.length > 0;
        var sum = 0;
        items.forEach(function (item) {
          sum += item.bytes;
          list.appendChild(renderItem(item));
        });
        total.hidden = !items.length;
        total.textContent = message(root, "Total", { count: items.length, size: formatSize(sum) });
      });
    }

    function renderItem(item) {
      var li = document.createElement("li");
      li.className = "saved-item";
      if (item.lang && item.lang !== language) li.lang = item.lang;
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = item.page;
      link.textContent = item.title;
      heading.appendChild(link);
      var size = document.createElement("p");
      size.className = "saved-item__size";
      size.textContent = message(root, "Size", { size: formatSize(item.bytes) });
      var video = document.createElement("video");
      video.className = "saved-item__video";
      video.controls = true;
      video.preload = "metadata";
      video.setAttribute("playsinline", "");
      video.src = item.video;
      if (item.poster) video.poster = item.poster;
      video.setAttribute("aria-label", message(root, "Video", { title: item.title }));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button--secondary saved-item__remove";
      remove.textContent = message(root, "Remove", { title: item.title });
      remove.addEventListener("click", function () {
        remove.disabled = true;
        video.pause();
        video.removeAttribute("src");
        video.load();
        var before;
        estimate().then(function (space) {
          before = space;
          return removeItem(item);
        }).then(estimate).then(function (after) {
          var freed = before && after ? Math.max(before.usage - after.usage, 0) : item.bytes;
          status.textContent = message(root, "Removed", {
            title: item.title, size: formatSize(freed || item.bytes) });
          return render();
        }).then(function () {
          var heading = root.querySelector("h1");
          if (heading) heading.focus();
        });
      });
      li.appendChild(heading);
      li.appendChild(size);
      li.appendChild(video);
      li.appendChild(remove);
      return li;
    }

    render().then(function () { root.setAttribute("data-ready", ""); });
  }

  window.KotikanavaOffline = { formatSize: formatSize };
  if (!supported) {
    document.querySelectorAll("[data-saved-list]").forEach(setupSavedList);
    return;
  }
  document.querySelectorAll("[data-save-offline]").forEach(setupSaver);
  document.querySelectorAll("[data-saved-list]").forEach(setupSavedList);
})();
