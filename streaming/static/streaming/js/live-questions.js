// The host's list of clients' questions: polls the JSON every 2 s (a question should reach the
// host within 3 s) and updates the list in place, so a button keeps its focus between polls.
// The buttons post with fetch (they work as plain forms too). A question's text is only ever
// set as text, never as HTML. Used by the admin questions page and the browser studio page,
// which load poll-json.js first.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-live-questions-admin]"), setUp);

  function setUp(panel) {
    if (!window.fetch || !window.FormData || !window.KotikanavaPoll) return;
    var list = panel.querySelector("[data-questions-list]");
    var template = panel.querySelector("[data-question-template]");
    var summary = panel.querySelector("[data-questions-summary]");
    var empty = panel.querySelector("[data-questions-empty]");
    var POLL_MS = parseInt(panel.dataset.pollMs, 10) || 2000;
    var lang = document.documentElement.lang || "fi";

    function clock(iso) {
      var date = new Date(iso);
      if (isNaN(date)) return "";
      return date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    }

    function setText(node, text) {
      if (node.textContent !== text) node.textContent = text;
    }

    function fill(item, question) {
      item.className = "live-question live-question--" + question.state;
      setText(item.querySelector("[data-question-text]"), question.text);
      var time = item.querySelector("[data-question-time]");
      if (time.getAttribute("datetime") !== question.created_at) {
        time.setAttribute("datetime", question.created_at);
        time.textContent = clock(question.created_at);
      }
      setText(item.querySelector("[data-question-state]"), question.state_label);
      item.querySelector("[data-question-approved]").hidden = !question.approved;
      Array.prototype.forEach.call(item.querySelectorAll("[data-question-action]"), function (form) {
        var action = form.dataset.questionAction;
        form.action = question.actions[action];
        form.hidden = (action === "approve" && question.approved) ||
          (action === "answer" && question.state === "answered") ||
          (action === "hide" && question.state === "hidden");
      });
    }

    function itemFor(question) {
      var item = list.querySelector('[data-question-id="' + question.id + '"]');
      if (!item) {
        item = template.content.firstElementChild.cloneNode(true);
        item.dataset.questionId = String(question.id);
      }
      return item;
    }

    function render(data) {
      var keep = {};
      data.questions.forEach(function (question, index) {
        var item = itemFor(question);
        fill(item, question);
        keep[question.id] = true;
        if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
      });
      Array.prototype.slice.call(list.children).forEach(function (item) {
        if (!keep[item.dataset.questionId]) list.removeChild(item);
      });
      empty.hidden = data.questions.length > 0;
      setText(summary, data.summary);
    }

    var poller = window.KotikanavaPoll.json(panel.dataset.url, {
      ms: POLL_MS,
      hiddenFactor: 5,
      render: render
    });

    panel.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-question-action]");
      if (!form) return;
      event.preventDefault();
      var item = form.closest("[data-question-id]");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (result) {
        fill(item, result.question);
        item.focus();
        poller.now();
      }).catch(function () {
        form.submit(); // let the server answer the plain way
      });
    });
  }
})();
