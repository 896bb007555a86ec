// The transcript under a video: a line's time plays the video from there, and the line being
// spoken is marked (aria-current) while the video plays. The text itself is in the page and
// needs no script.
(function () {
  "use strict";

  function setUp(list) {
    var media = document.getElementById(list.dataset.transcriptFor);
    if (!media) return;
    var lines = Array.prototype.slice.call(list.querySelectorAll("[data-start]"));
    var starts = lines.map(function (line) { return parseFloat(line.dataset.start); });
    var current = null;

    function mark() {
      var time = media.currentTime;
      var found = null;
      for (var i = 0; i < starts.length && starts[i] <= time + 0.05; i++) found = lines[i];
      if (found === current) return;
      if (current) current.removeAttribute("aria-current");
      if (found) found.setAttribute("aria-current", "true");
      current = found;
    }

    function playFrom(seconds) {
      function seek() { media.currentTime = seconds; }
      if (media.readyState >= 1) seek();
      else media.addEventListener("loadedmetadata", seek, { once: true });
      if (media.paused) {
        if (window.KotikanavaPlayer) window.KotikanavaPlayer.play(media);
        else {
          var promise = media.play();
          if (promise && promise.catch) promise.catch(function () {});
        }
      }
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-seek]");
      if (!button || !list.contains(button)) return;
      playFrom(parseFloat(button.dataset.seek));
    });
    ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
      media.addEventListener(name, mark);
    });
  }

  Array.prototype.slice.call(document.querySelectorAll("[data-transcript-for]")).forEach(setUp);
})();
