/*
 * Keeps processing progress current in the video library and on the edit page.
 *
 * Polls a small JSON endpoint every few seconds, only while some video on the page is queued or
 * processing, and updates the progress bar, percent and time left in place (no page refresh, so
 * screen-reader users do not lose their place). When a video finishes, the listing's results are
 * reloaded to show its poster and actions.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var statusUrl = script && script.dataset.statusUrl;
  var INTERVAL = 5000;
  if (!statusUrl) {
    return;
  }

  function activeCells() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-video-active]'));
  }

  function reloadResults() {
    var results = document.getElementById('listing-results');
    if (!results || results.contains(document.activeElement)) {
      return;
    }
    var url = window.location.pathname.replace(/\/?$/, '/') + 'results/' + window.location.search;
    fetch(url, { credentials: 'same-origin', headers: { 'X-Requested-With': 'XMLHttpRequest' } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          results.innerHTML = html;
        }
      })
      .catch(function () {});
  }

  function update(cell, video) {
    var tag = cell.querySelector('[data-video-status]');
    if (tag) {
      tag.textContent = video.status_label;
    }
    var progressBox = cell.querySelector('[data-video-progress]');
    if (progressBox) {
      progressBox.hidden = video.status !== 'processing';
    }
    var bar = cell.querySelector('progress');
    if (bar) {
      bar.value = video.progress;
    }
    var percent = cell.querySelector('[data-video-percent]');
    if (percent) {
      percent.textContent = video.progress + ' %';
    }
    var eta = cell.querySelector('[data-video-eta]');
    if (eta) {
      eta.textContent = video.eta_label;
    }
    if (!video.active) {
      cell.removeAttribute('data-video-active');
      return true;
    }
    return false;
  }

  function poll() {
    var cells = activeCells();
    if (!cells.length) {
      window.setTimeout(poll, INTERVAL);
      return;
    }
    var query = cells
      .map(function (cell) {
        return 'id=' + encodeURIComponent(cell.dataset.videoId);
      })
      .join('&');
    fetch(statusUrl + '?' + query, { credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.json() : { videos: [] };
      })
      .then(function (data) {
        var finished = false;
        data.videos.forEach(function (video) {
          cells.forEach(function (cell) {
            if (cell.dataset.videoId === String(video.id)) {
              finished = update(cell, video) || finished;
            }
          });
        });
        if (finished) {
          reloadResults();
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, INTERVAL);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
