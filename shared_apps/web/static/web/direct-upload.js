// Direct-to-S3 uploads (DESIGN.md §6), one script for every page that sends a file: ask the app
// for an upload slot, post the file straight to storage with the presigned form, then let the app
// verify what arrived. The file never passes through the app. Two kinds of form opt in:
// - `data-upload-form` (Documents): slot, storage, then the app confirms (verify, scan) and says
//   where to go next.
// - `data-attach-url` (the message composer): on send, slot and storage, then the message is sent
//   with the slot's id; the app verifies the file before the message is saved. Without this script
//   the composer sends text only (its file field stays hidden).
(function () {
  "use strict";

  var UPLOAD_FAILED = "The upload could not be completed.";
  var ATTACH_FAILED = "The file could not be attached.";

  function say(form, statusSelector, text) {
    var status = form.querySelector(statusSelector);
    if (status) {
      status.textContent = text;
    }
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // POST `body` to the app; its JSON answer, or an Error with the app's sentence (or `failed`).
  function askApp(url, body, form, failed) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || failed);
        }
        return data;
      });
    });
  }

  function sendToStorage(upload, file) {
    var body = new FormData();
    Object.keys(upload.fields).forEach(function (name) {
      body.append(name, upload.fields[name]);
    });
    body.append("file", file);
    // The answer of the storage server is not read ("no-cors"): the app verifies what arrived,
    // whatever the server said.
    return fetch(upload.url, { method: "POST", body: body, mode: "no-cors" });
  }

  // --- Documents: `form[data-upload-form]` ------------------------------------------------------
  function upload(form, event) {
    event.preventDefault();
    var status = "[data-upload-status]";
    var input = form.querySelector("[data-upload-file]");
    var button = form.querySelector("button[type=submit]");
    var file = input && input.files && input.files[0];
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!file) {
      say(form, status, "Choose a file first.");
      input.focus();
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      say(form, status, "This file is too large.");
      input.focus();
      return;
    }
    var slot = new FormData(form);
    slot.set("filename", file.name);
    slot.set("size", String(file.size));
    button.disabled = true;
    say(form, status, "Uploading…");
    askApp(form.action, slot, form, UPLOAD_FAILED)
      .then(function (data) {
        return sendToStorage(data.upload, file).then(function () {
          say(form, status, "Checking the file…");
          return askApp(data.confirm_url, new FormData(), form, UPLOAD_FAILED);
        });
      })
      .then(function (data) {
        window.location.assign(data.redirect);
      })
      .catch(function (error) {
        button.disabled = false;
        say(form, status, error.message || UPLOAD_FAILED);
      });
  }

  // --- Message composer: `form[data-attach-url]` ------------------------------------------------
  function attachThenSend(form, event) {
    var status = "[data-attach-status]";
    var input = form.querySelector("[data-attach-file]");
    var file = input && input.files && input.files[0];
    if (!file || form.getAttribute("data-attached") === "yes") {
      return; // plain send
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(form, status, "Uploading the file…");
    var slot = new FormData();
    slot.append("filename", file.name);
    slot.append("size", String(file.size));
    askApp(form.getAttribute("data-attach-url"), slot, form, ATTACH_FAILED)
      .then(function (data) {
        return sendToStorage(data.upload, file).then(function () {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "attachment";
          hidden.value = String(data.attachment_id);
          form.appendChild(hidden);
          input.value = "";
          form.setAttribute("data-attached", "yes");
          say(form, status, "Sending…");
          form.submit();
        });
      })
      .catch(function (error) {
        button.disabled = false;
        say(form, status, error.message || ATTACH_FAILED);
        input.focus();
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        upload(form, event);
      });
    });
    document.querySelectorAll("form[data-attach-url]").forEach(function (form) {
      if (!form.getAttribute("data-attach-url")) {
        return;
      }
      var field = form.querySelector("[data-attach]");
      if (field) {
        field.hidden = false;
      }
      form.addEventListener("submit", function (event) {
        attachThenSend(form, event);
      });
    });
  });
})();
