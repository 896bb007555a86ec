/*
 * Resumable chunked upload for the video library (plain JS, no framework).
 *
 * Each file is declared to the server (a session), then sent in chunks with Content-Range.
 * A network error waits (1, 2, 4 ... 30 s, or until the browser is back online), asks the server
 * how much has arrived and continues from there. The session id is kept in localStorage under the
 * file's name, size and modification time, so choosing the same file after a reload continues it.
 * Files go one after another: on a weak link, parallel uploads only slow each other down.
 */
(function () {
  'use strict';

  var form = document.getElementById('streaming-upload-form');
  if (!form) {
    return;
  }
  var messages = JSON.parse(document.getElementById('streaming-upload-messages').textContent);
  var input = document.getElementById('streaming-upload-files');
  var list = document.getElementById('streaming-upload-list');
  var template = document.getElementById('streaming-upload-item');
  var dropZone = document.querySelector('[data-upload-drop-zone]');
  var collection = document.getElementById('streaming-upload-collection');
  var csrfToken = form.querySelector('[name=csrfmiddlewaretoken]').value;
  var STORE = 'kotikanava.uploads';
  var MAX_DELAY = 30;
  // HTTP 507: no room on the server's disk for the rest of the file (full, or an upload that was
  // idle found its room taken by uploads moving now). What arrived is kept; "Try again" resumes.
  var DISK_FULL = 507;
  var queue = Promise.resolve();
  var active = 0;

  function format(text, values) {
    return text
      .replace(/%\((\w+)\)s/g, function (match, name) {
        return values && name in values ? values[name] : match;
      })
      .replace(/%%/g, '%');
  }

  function fileKey(file) {
    return [file.name, file.size, file.lastModified].join('|');
  }

  function readStore() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE)) || {};
    } catch (error) {
      return {};
    }
  }

  function writeStore(store) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(store));
    } catch (error) {
      /* Private mode or full storage: uploads still work, only resuming after reload does not. */
    }
  }

  function remember(file, session) {
    var store = readStore();
    store[fileKey(file)] = { url: session.url, saved: Date.now() };
    writeStore(store);
  }

  function forget(file) {
    var store = readStore();
    delete store[fileKey(file)];
    writeStore(store);
  }

  function formatTime(seconds) {
    if (seconds >= 90) {
      return format(messages.minutes, { count: Math.round(seconds / 60) });
    }
    return format(messages.seconds, { count: Math.max(1, Math.round(seconds)) });
  }

  /* A request; resolves with {status, data} for any HTTP answer, rejects on network failure. */
  function request(method, url, options) {
    options = options || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader('X-CSRFToken', csrfToken);
      xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
      Object.keys(options.headers || {}).forEach(function (name) {
        xhr.setRequestHeader(name, options.headers[name]);
      });
      if (options.onProgress) {
        xhr.upload.onprogress = function (event) {
          options.onProgress(event.loaded);
        };
      }
      xhr.onload = function () {
        var data = {};
        try {
          data = JSON.parse(xhr.responseText || '{}');
        } catch (error) {
          data = {};
        }
        resolve({ status: xhr.status, data: data });
      };
      xhr.onerror = xhr.ontimeout = function () {
        reject(new Error('network'));
      };
      xhr.onabort = function () {
        reject(new Error('abort'));
      };
      if (options.xhrRef) {
        options.xhrRef.current = xhr;
      }
      xhr.send(options.body === undefined ? null : options.body);
    });
  }

  function Upload(file) {
    this.file = file;
    this.cancelled = false;
    this.xhr = { current: null };
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
  }

  Upload.prototype.say = function (text) {
    this.message.textContent = text;
  };

  Upload.prototype.showProgress = function (sent) {
    var size = this.file.size;
    var percent = Math.floor((sent / size) * 100);
    this.bar.value = percent;
    var text = format(messages.progress, { percent: percent });
    var elapsed = (Date.now() - this.startedAt) / 1000;
    var rate = (sent - this.startOffset) / elapsed;
    if (elapsed > 2 && rate > 0 && sent < size) {
      text += ', ' + format(messages.time_left, { time: formatTime((size - sent) / rate) });
    }
    this.info.textContent = text;
  };

  Upload.prototype.wait = function (attempt) {
    var self = this;
    var seconds = Math.min(MAX_DELAY, Math.pow(2, attempt));
    self.say(format(messages.retrying, { seconds: seconds }));
    return new Promise(function (resolve) {
      var timer = window.setTimeout(done, seconds * 1000);
      function done() {
        window.clearTimeout(timer);
        window.removeEventListener('online', done);
        resolve();
      }
      window.addEventListener('online', done);
    });
  };

  /* Ask the server where to continue; null if the session is gone. Retries on network errors. */
  Upload.prototype.serverOffset = async function () {
    for (var attempt = 0; !this.cancelled; attempt++) {
      try {
        var response = await request('GET', this.session.url);
        if (response.status === 200) {
          return response.data.offset;
        }
        if (response.status === 404 || response.status === 410) {
          return null;
        }
      } catch (error) {
        if (this.cancelled) {
          return null;
        }
      }
      await this.wait(attempt);
    }
    return null;
  };

  Upload.prototype.openSession = async function () {
    var known = readStore()[fileKey(this.file)];
    if (known) {
      try {
        var existing = await request('GET', known.url);
        if (existing.status === 200 && existing.data.state === 'open') {
          this.session = existing.data;
          if (this.session.offset > 0) {
            this.say(
              format(messages.resuming, {
                percent: Math.floor((this.session.offset / this.file.size) * 100),
              }),
            );
          }
          return true;
        }
      } catch (error) {
        /* Fall through to a new session. */
      }
      forget(this.file);
    }
    var body = { filename: this.file.name, size: this.file.size };
    if (collection) {
      body.collection = collection.value;
    }
    var response = await request('POST', form.dataset.sessionsUrl, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) {
      this.fail(response.data.error || String(response.status));
      return false;
    }
    this.session = response.data;
    remember(this.file, this.session);
    return true;
  };

  Upload.prototype.run = async function () {
    active++;
    this.cancelButton.hidden = false;
    this.retryButton.hidden = true;
    this.say(messages.starting);
    try {
      if (!(await this.openSession())) {
        return;
      }
      if (this.session.offset === 0) {
        this.say('');
      }
      var offset = this.session.offset;
      this.startOffset = offset;
      this.startedAt = Date.now();
      this.showProgress(offset);
      var attempt = 0;
      while (!this.cancelled) {
        if (offset >= this.file.size) {
          var finished = await this.finish();
          if (finished === true) {
            return;
          }
          offset = finished;
          continue;
        }
        var end = Math.min(offset + this.session.chunk_size, this.file.size);
        var response;
        try {
          response = await this.sendChunk(offset, end);
        } catch (error) {
          if (this.cancelled) {
            return;
          }
          await this.wait(attempt++);
          offset = await this.serverOffset();
          if (offset === null) {
            this.expired();
            return;
          }
          continue;
        }
        if (response.status === 200) {
          offset = response.data.offset;
          attempt = 0;
          this.say('');
        } else if (response.status === 409 && typeof response.data.offset === 'number') {
          if (response.data.offset === offset) {
            await this.wait(attempt++);
          }
          offset = response.data.offset;
        } else if (response.status === DISK_FULL) {
          // Waiting will not help: tell staff why; "Try again" resumes from what was kept.
          this.fail(response.data.error || String(response.status));
          return;
        } else if (response.status >= 500 || response.status === 0) {
          await this.wait(attempt++);
          offset = await this.serverOffset();
          if (offset === null) {
            this.expired();
            return;
          }
        } else if (response.status === 404 || response.status === 410) {
          this.expired();
          return;
        } else {
          this.fail(response.data.error || String(response.status));
          return;
        }
        this.showProgress(offset);
      }
    } catch (error) {
      if (!this.cancelled) {
        this.fail(messages.network);
      }
    } finally {
      active--;
    }
  };

  Upload.prototype.sendChunk = function (start, end) {
    var self = this;
    return request('PUT', this.session.url, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Range': 'bytes ' + start + '-' + (end - 1) + '/' + this.file.size,
      },
      body: this.file.slice(start, end),
      xhrRef: this.xhr,
      onProgress: function (loaded) {
        self.showProgress(start + Math.min(loaded, end - start));
      },
    });
  };

  /* true when the video exists, else the offset to continue from. */
  Upload.prototype.finish = async function () {
    this.say(messages.finishing);
    for (var attempt = 0; !this.cancelled; attempt++) {
      var response;
      try {
        response = await request('POST', this.session.finish_url);
      } catch (error) {
        await this.wait(attempt);
        continue;
      }
      if (response.status === 201) {
        this.done(response.data.video);
        return true;
      }
      if (response.status === 409 && typeof response.data.offset === 'number') {
        return response.data.offset;
      }
      if (response.status < 500 || response.status === DISK_FULL) {
        this.fail(response.data.error || String(response.status));
        return true;
      }
      await this.wait(attempt);
    }
    return true;
  };

  Upload.prototype.done = function (video) {
    forget(this.file);
    this.bar.value = 100;
    this.info.textContent = format(messages.progress, { percent: 100 });
    this.say(messages.done);
    this.item.classList.add('streaming-upload-item--done');
    this.cancelButton.hidden = true;
    this.editLink.href = video.edit_url;
    this.editLink.hidden = false;
    this.editLink.setAttribute('aria-label', this.editLink.textContent.trim() + ': ' + video.title);
  };

  Upload.prototype.fail = function (error) {
    this.item.classList.add('streaming-upload-item--failed');
    this.say(format(messages.failed, { error: error }));
    this.cancelButton.hidden = true;
    this.retryButton.hidden = false;
  };

  Upload.prototype.expired = function () {
    forget(this.file);
    this.fail(messages.network);
  };

  Upload.prototype.retry = function () {
    this.item.classList.remove('streaming-upload-item--failed');
    this.cancelled = false;
    enqueue(this);
  };

  Upload.prototype.cancel = function () {
    this.cancelled = true;
    if (this.xhr.current) {
      this.xhr.current.abort();
    }
    if (this.session) {
      request('DELETE', this.session.url).catch(function () {});
    }
    forget(this.file);
    this.cancelButton.hidden = true;
    this.info.textContent = '';
    this.say(messages.cancelled);
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
