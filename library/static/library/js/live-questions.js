// "Ask the host" on a live session's page: sends the question with fetch (the form also works
// as a plain post), counts the characters left (read out only when typing pauses), shows the
// form while the state panel says "live", and refreshes the questions the host has approved.
// Every text comes from the server; a question's text is only ever set as text, never as HTML.
// Polls with streaming/js/poll-json.js, which the page loads first.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-session]");
  var section = document.querySelector("[data-live-questions]");
  if (!root || !section || !window.fetch || !window.FormData || !window.KotikanavaPoll) return;

  var form = section.querySelector("[data-question-form]");
  var field = form.querySelector("textarea");
  var counter = form.querySelector("[data-question-counter]");
  var counterAnnouncer = form.querySelector("[data-question-counter-announcer]");
  var button = form.querySelector("button[type=submit]");
  var approved = section.querySelector("[data-approved-questions]");
  var approvedList = section.querySelector("[data-approved-list]");
  var POLL_MS = (parseFloat(root.dataset.pollSeconds) || 5) * 1000;
  var announceTimer = null;
  var busy = false;

  function isLive() {
    var panel = root.querySelector("[data-live-state]");
    return !!panel && panel.dataset.liveState === "live";
  }

  function counterText() {
    var limit = parseInt(counter.dataset.limit, 10);
    var left = limit - field.value.length;
    return counter.dataset.template
      .replace("%(left)s", String(Math.max(left, 0)))
      .replace("%(limit)s", String(limit));
  }

  function updateCounter() {
    counter.textContent = counterText();
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      counterAnnouncer.textContent = counterText();
    }, 1200);
  }

  function showMessage(text, isError) {
    var message = section.querySelector("[data-question-message]");
    if (message) message.parentNode.removeChild(message);
    if (!text) return;
    message = document.createElement("p");
    message.className = isError ? "notice notice--error" : "notice";
    message.setAttribute("role", isError ? "alert" : "status");
    message.setAttribute("data-question-message", "");
    message.textContent = text;
    form.parentNode.insertBefore(message, form);
  }

  function clearFieldError() {
    var error = form.querySelector(".questions__error");
    if (error) error.parentNode.removeChild(error);
    field.removeAttribute("aria-invalid");
    field.setAttribute("aria-describedby", "question-help question-counter");
  }

  function send(event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (result) {
      if (result.ok) {
        clearFieldError();
        field.value = "";
        updateCounter();
        showMessage(result.message, false);
      } else {
        showMessage(result.message, true);
        field.setAttribute("aria-invalid", "true");
        field.focus();
      }
    }, function () {
      showMessage(form.dataset.networkError, true);
    }).then(function () {
      busy = false;
      button.disabled = false;
    });
  }

  function renderApproved(questions) {
    var items = questions.map(function (question) {
      var item = document.createElement("li");
      item.textContent = question.text;
      return item;
    });
    var same = items.length === approvedList.children.length && items.every(function (item, i) {
      return approvedList.children[i].textContent === item.textContent;
    });
    if (!same) {
      while (approvedList.firstChild) approvedList.removeChild(approvedList.firstChild);
      items.forEach(function (item) { approvedList.appendChild(item); });
    }
    approved.hidden = !items.length;
  }

  // Only while live: once the session ends, polling stops until follow() sees it live again.
  var poller = window.KotikanavaPoll.json(section.dataset.questionsUrl, {
    ms: POLL_MS,
    hiddenFactor: 6,
    when: isLive,
    render: function (data) { renderApproved(data.questions || []); }
  });

  function follow() {
    var live = isLive();
    var wasHidden = section.hidden;
    section.hidden = !live;
    if (live && wasHidden) poller.now();
  }

  field.addEventListener("input", updateCounter);
  form.addEventListener("submit", send);
  // live.js replaces the state panel when the state changes: follow it.
  new MutationObserver(follow).observe(root, { childList: true });
  follow();
  if (isLive()) counter.textContent = counterText();
})();
