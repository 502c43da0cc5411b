// Direct-to-S3 uploads (DESIGN.md §6): ask the app for an upload slot, post the file straight to
// S3 with the presigned form, then ask the app to confirm (verify, scan). The file never passes
// through the app. Forms opt in with `data-upload-form`.
(function () {
  "use strict";

  function say(form, text) {
    var status = form.querySelector("[data-upload-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function askApp(url, body, form) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || "The upload could not be completed.");
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
    // The answer of the storage server is not read ("no-cors"): the confirm step verifies what
    // arrived, whatever the server said.
    return fetch(upload.url, { method: "POST", body: body, mode: "no-cors" });
  }

  function upload(form, event) {
    event.preventDefault();
    var input = form.querySelector("[data-upload-file]");
    var button = form.querySelector("button[type=submit]");
    var file = input && input.files && input.files[0];
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!file) {
      say(form, "Choose a file first.");
      input.focus();
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      say(form, "This file is too large.");
      input.focus();
      return;
    }
    var slot = new FormData(form);
    slot.set("filename", file.name);
    slot.set("size", String(file.size));
    button.disabled = true;
    say(form, "Uploading…");
    askApp(form.action, slot, form)
      .then(function (data) {
        return sendToStorage(data.upload, file).then(function () {
          say(form, "Checking the file…");
          return askApp(data.confirm_url, new FormData(), form);
        });
      })
      .then(function (data) {
        window.location.assign(data.redirect);
      })
      .catch(function (error) {
        button.disabled = false;
        say(form, error.message || "The upload could not be completed.");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        upload(form, event);
      });
    });
  });
})();
