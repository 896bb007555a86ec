// Copy buttons: a button with data-copy="ID" copies that element's text and says so.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent.trim();
      var label = button.textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "✓ " + label;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
