// Attaching a file to a secure message (DESIGN.md §6): on send, ask the app for an upload slot,
// post the file straight to storage with the presigned form, then send the message with the
// slot's id; the app verifies the file before the message is saved. The file never passes
// through the app. Without this script the composer sends text only (the file field stays hidden).
(function () {
  "use strict";

  function say(form, text) {
    var status = form.querySelector("[data-attach-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function openSlot(form, file) {
    var body = new FormData();
    body.append("filename", file.name);
    body.append("size", String(file.size));
    return fetch(form.getAttribute("data-attach-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || "The file could not be attached.");
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
    // The storage server's answer is not read ("no-cors"): the app verifies what arrived.
    return fetch(upload.url, { method: "POST", body: body, mode: "no-cors" });
  }

  function attachThenSend(form, event) {
    var input = form.querySelector("[data-attach-file]");
    var file = input && input.files && input.files[0];
    if (!file || form.getAttribute("data-attached") === "yes") {
      return; // plain send
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(form, "Uploading the file…");
    openSlot(form, file)
      .then(function (data) {
        return sendToStorage(data.upload, file).then(function () {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "attachment";
          hidden.value = String(data.attachment_id);
          form.appendChild(hidden);
          input.value = "";
          form.setAttribute("data-attached", "yes");
          say(form, "Sending…");
          form.submit();
        });
      })
      .catch(function (error) {
        button.disabled = false;
        say(form, error.message || "The file could not be attached.");
        input.focus();
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
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
