// Kotikanava's service worker (loaded by /sw.js after Workbox's core, routing and
// range-requests modules). Conservative on purpose:
// - pages come from the network first; a page the viewer saved (or the Saved page) is served
//   from Cache Storage only when the network fails;
// - /media/ files are answered from the cache only when the viewer saved them, with Range
//   requests cut from the cached file (a <video> asks for byte ranges), otherwise untouched;
// - static files come from the app-shell cache when they are there (their names are hashed).
// The worker itself never stores media or pages the viewer did not save (offline.js does the
// saving, with the viewer's own cookies); only the Saved page keeps its copy fresh.
/* global workbox */
(function () {
  "use strict";
  var SAVED_PREFIX = "kotikanava-saved:"; // one cache per saved page
  var INDEX = "kotikanava-saved-index-v1";
  var SHELL = "kotikanava-shell-v1";
  var KEEP = [INDEX, SHELL];
  var SAVED_PAGE = /^\/([a-z]{2}(?:-[a-z]+)?)\/saved\/$/;
  var NETWORK_TIMEOUT_MS = 10000;
  var EXCLUDED = /^\/(admin|django-admin|documents|live)\//;

  workbox.core.setCacheNameDetails({ prefix: "kotikanava-workbox" });
  self.skipWaiting();
  workbox.core.clientsClaim();

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("kotikanava-") === 0 && KEEP.indexOf(name) === -1 &&
          name.indexOf(SAVED_PREFIX) !== 0 && name.indexOf("kotikanava-workbox") !== 0;
      }).map(function (name) { return caches.delete(name); }));
    }));
  });

  function cached(cacheName, url) {
    return caches.match(url, { cacheName: cacheName, ignoreVary: true });
  }

  // Any language's Saved page, this language's first: what a viewer offline can still use.
  function savedPageFallback(path) {
    var language = (path.match(/^\/([a-z]{2}(?:-[a-z]+)?)\//) || [])[1];
    return caches.open(SHELL).then(function (cache) {
      return cache.keys().then(function (requests) {
        var pages = requests.filter(function (request) {
          return SAVED_PAGE.test(new URL(request.url).pathname);
        });
        pages.sort(function (a) {
          return new URL(a.url).pathname.indexOf("/" + language + "/") === 0 ? -1 : 1;
        });
        return pages.length ? cache.match(pages[0], { ignoreVary: true }) : undefined;
      });
    });
  }

  // What the viewer saved, or the app shell (not the index of saved items, which has the same
  // keys). caches.match with a cacheName keeps no Cache object open in the worker.
  function offlineCopy(url) {
    return caches.keys().then(function (names) {
      return names.filter(function (name) {
        return name.indexOf(SAVED_PREFIX) === 0 || name === SHELL;
      }).reduce(function (found, name) {
        return found.then(function (response) {
          return response || caches.match(url, { cacheName: name, ignoreVary: true });
        });
      }, Promise.resolve(undefined));
    });
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
      promise.then(function (value) { clearTimeout(timer); resolve(value); },
        function (error) { clearTimeout(timer); reject(error); });
    });
  }

  function handlePage(options) {
    var request = options.request;
    var url = new URL(request.url);
    var isSavedPage = SAVED_PAGE.test(url.pathname);
    return offlineCopy(request.url).then(function (copy) {
      var network = fetch(request);
      // A slow link should not hold a saved page hostage: give up on the network after a while.
      var attempt = copy ? withTimeout(network, NETWORK_TIMEOUT_MS) : network;
      return attempt.then(function (response) {
        if (isSavedPage && response.ok && !/no-store/.test(response.headers.get("Cache-Control") || "")) {
          var fresh = response.clone();
          caches.open(SHELL).then(function (cache) { return cache.put(request.url, fresh); });
        }
        return response;
      }).catch(function (error) {
        if (copy) return copy;
        return savedPageFallback(url.pathname).then(function (fallback) {
          if (fallback) return fallback;
          throw error;
        });
      });
    });
  }

  function handleMedia(options) {
    var request = options.request;
    return offlineCopy(request.url).then(function (response) {
      if (!response) return fetch(request);
      if (request.headers.has("range")) {
        return workbox.rangeRequests.createPartialResponse(request, response);
      }
      return response;
    });
  }

  function handleStatic(options) {
    return cached(SHELL, options.request.url).then(function (response) {
      return response || fetch(options.request);
    });
  }

  function sameOrigin(url) { return url.origin === self.location.origin; }

  workbox.routing.registerRoute(function (options) {
    return options.request.mode === "navigate" && sameOrigin(options.url) &&
      !EXCLUDED.test(options.url.pathname);
  }, handlePage);
  workbox.routing.registerRoute(function (options) {
    return sameOrigin(options.url) && options.url.pathname.indexOf("/media/") === 0;
  }, handleMedia);
  workbox.routing.registerRoute(function (options) {
    return sameOrigin(options.url) && options.url.pathname.indexOf("/static/") === 0;
  }, handleStatic);
})();
