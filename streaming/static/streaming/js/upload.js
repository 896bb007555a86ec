/*
 * The video library's upload page: each chosen or dropped file goes to the server's tus endpoint
 * through tus-js-client (vendor/tus-js-client, pinned in package-lock.json).
 *
 * tus-js-client sends the file in chunks, waits and retries after a dropped connection (the
 * delays come from the page), and keeps each upload's URL in localStorage under the file's
 * fingerprint, so choosing the same file after a reload continues it. Files go one after
 * another: on a weak link, parallel uploads only slow each other down. When the last byte lands
 * the server makes the video and names its edit page in a response header.
 */
(function () {
  'use strict';

  var form = document.getElementById('streaming-upload-form');
  if (!form || !window.tus) {
    return;
  }
  var config = JSON.parse(document.getElementById('streaming-upload-config').textContent);
  var messages = config.messages;
  var input = document.getElementById('streaming-upload-files');
  var list = document.getElementById('streaming-upload-list');
  var template = document.getElementById('streaming-upload-item');
  var dropZone = document.querySelector('[data-upload-drop-zone]');
  var collection = document.getElementById('streaming-upload-collection');
  var csrfToken = form.querySelector('[name=csrfmiddlewaretoken]').value;
  // HTTP 507: no room on the server's disk for the rest of the file; 429: the person's uploads
  // already hold their share. What arrived is kept: staff read why, and "Try again" resumes.
  var WAIT_FOR_PERSON = [429, 507];
  var queue = Promise.resolve();
  var active = 0;

  function format(text, values) {
    return text
      .replace(/%\((\w+)\)s/g, function (match, name) {
        return values && name in values ? values[name] : match;
      })
      .replace(/%%/g, '%');
  }

  function formatTime(seconds) {
    if (seconds >= 90) {
      return format(messages.minutes, { count: Math.round(seconds / 60) });
    }
    return format(messages.seconds, { count: Math.max(1, Math.round(seconds)) });
  }

  function statusOf(error) {
    return error && error.originalResponse ? error.originalResponse.getStatus() : 0;
  }

  /* The server's own words (its JSON body's "error"), or a general one. */
  function reasonOf(error) {
    var response = error && error.originalResponse;
    if (response) {
      try {
        var data = JSON.parse(response.getBody() || '{}');
        if (data.error) {
          return data.error;
        }
      } catch (parseError) {
        /* Not ours: a proxy's page. */
      }
      return String(response.getStatus());
    }
    return messages.network;
  }

  function Upload(file) {
    this.file = file;
    this.cancelled = false;
    this.item = template.content.firstElementChild.cloneNode(true);
    this.bar = this.item.querySelector('[data-progress]');
    this.info = this.item.querySelector('[data-info]');
    this.message = this.item.querySelector('[data-message]');
    this.cancelButton = this.item.querySelector('[data-cancel]');
    this.retryButton = this.item.querySelector('[data-retry]');
    this.editLink = this.item.querySelector('[data-edit]');
    this.item.querySelector('[data-name]').textContent = file.name;
    this.bar.setAttribute('aria-label', format(messages.progress_label, { name: file.name }));
    this.cancelButton.addEventListener('click', this.cancel.bind(this));
    this.retryButton.addEventListener('click', this.retry.bind(this));
    this.say(messages.waiting);
    list.appendChild(this.item);
    this.tus = new window.tus.Upload(file, this.options());
  }

  Upload.prototype.options = function () {
    var self = this;
    var metadata = { filename: this.file.name, filetype: this.file.type || '' };
    if (collection) {
      metadata.collection = collection.value;
    }
    return {
      endpoint: config.endpoint,
      chunkSize: config.chunkSize,
      retryDelays: config.retryDelays,
      metadata: metadata,
      headers: { 'X-CSRFToken': csrfToken },
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        self.showProgress(sent, total);
      },
      onShouldRetry: function (error, attempt, options) {
        var status = statusOf(error);
        var retry =
          !self.cancelled &&
          WAIT_FOR_PERSON.indexOf(status) === -1 &&
          (status === 0 || status >= 500 || status === 409 || status === 423);
        if (retry) {
          var delay = options.retryDelays[attempt] || 0;
          self.say(format(messages.retrying, { seconds: Math.round(delay / 1000) }));
        }
        return retry;
      },
      onError: function (error) {
        self.settle();
        if (!self.cancelled) {
          self.fail(reasonOf(error));
        }
      },
      onSuccess: function (payload) {
        self.settle();
        self.done(payload.lastResponse.getHeader(config.videoUrlHeader));
      },
    };
  };

  Upload.prototype.say = function (text) {
    this.message.textContent = text;
  };

  Upload.prototype.showProgress = function (sent, size) {
    var percent = Math.floor((sent / size) * 100);
    this.bar.value = percent;
    var text = format(messages.progress, { percent: percent });
    var elapsed = (Date.now() - this.startedAt) / 1000;
    if (this.startOffset === null) {
      this.startOffset = sent;
    }
    var rate = (sent - this.startOffset) / elapsed;
    if (elapsed > 2 && rate > 0 && sent < size) {
      text += ', ' + format(messages.time_left, { time: formatTime((size - sent) / rate) });
    }
    this.info.textContent = text;
    if (sent >= size) {
      this.say(messages.finishing);
    } else if (this.resuming) {
      this.say(format(messages.resuming, { percent: Math.floor((this.startOffset / size) * 100) }));
    } else {
      this.say('');
    }
  };

  /* Starts the upload; resolves when it has succeeded, failed or been cancelled. */
  Upload.prototype.run = function () {
    var self = this;
    active++;
    this.cancelButton.hidden = false;
    this.retryButton.hidden = true;
    this.startedAt = Date.now();
    this.startOffset = null;
    this.say(messages.starting);
    return new Promise(function (resolve) {
      self.settle = function () {
        self.settle = function () {};
        active--;
        resolve();
      };
      self.tus
        .findPreviousUploads()
        .then(function (previous) {
          if (previous.length && !self.tus.url) {
            self.tus.resumeFromPreviousUpload(previous[0]);
            self.resuming = true;
          }
          self.tus.start();
        })
        .catch(function () {
          self.tus.start();
        });
    });
  };

  Upload.prototype.settle = function () {};

  Upload.prototype.done = function (editUrl) {
    this.bar.value = 100;
    this.info.textContent = format(messages.progress, { percent: 100 });
    this.say(messages.done);
    this.item.classList.add('streaming-upload-item--done');
    this.cancelButton.hidden = true;
    if (editUrl) {
      this.editLink.href = editUrl;
      this.editLink.hidden = false;
      this.editLink.setAttribute(
        'aria-label',
        this.editLink.textContent.trim() + ': ' + this.file.name,
      );
    }
  };

  Upload.prototype.fail = function (error) {
    this.item.classList.add('streaming-upload-item--failed');
    this.say(format(messages.failed, { error: error }));
    this.cancelButton.hidden = true;
    this.retryButton.hidden = false;
  };

  Upload.prototype.retry = function () {
    this.item.classList.remove('streaming-upload-item--failed');
    this.cancelled = false;
    enqueue(this);
  };

  Upload.prototype.cancel = function () {
    this.cancelled = true;
    // Terminates the upload on the server (tus DELETE) and forgets it here.
    this.tus.abort(Boolean(this.tus.url)).catch(function () {});
    this.settle();
    this.cancelButton.hidden = true;
    this.info.textContent = '';
    this.say(messages.cancelled);
    this.retryButton.hidden = true;
    this.tus = new window.tus.Upload(this.file, this.options());
  };

  function enqueue(upload) {
    queue = queue.then(function () {
      return upload.cancelled ? null : upload.run();
    });
  }

  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      enqueue(new Upload(file));
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
  });

  input.addEventListener('change', function () {
    addFiles(input.files);
    input.value = '';
  });

  if (dropZone) {
    ['dragenter', 'dragover'].forEach(function (name) {
      dropZone.addEventListener(name, function (event) {
        event.preventDefault();
        dropZone.classList.add('hovered');
      });
    });
    ['dragleave', 'dragend', 'drop'].forEach(function (name) {
      dropZone.addEventListener(name, function () {
        dropZone.classList.remove('hovered');
      });
    });
    dropZone.addEventListener('drop', function (event) {
      event.preventDefault();
      addFiles(event.dataTransfer.files);
    });
    /* A file dropped beside the zone must not replace the page. */
    document.addEventListener('dragover', function (event) {
      event.preventDefault();
    });
    document.addEventListener('drop', function (event) {
      event.preventDefault();
    });
  }

  window.addEventListener('beforeunload', function (event) {
    if (active > 0) {
      event.preventDefault();
      event.returnValue = messages.leave;
      return messages.leave;
    }
    return undefined;
  });
})();
