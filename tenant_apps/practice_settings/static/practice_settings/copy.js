// Settings › Portal: the "Copy address" button. Without JavaScript the button stays hidden and the
// address is plain, selectable text.
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http dev hosts have no Clipboard API: select the text and use the older command.
    selectText(element);
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function setUp(button) {
    var target = document.getElementById(button.dataset.copyTarget);
    var status = button.parentElement.querySelector(".copy-status");
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(target.textContent.trim(), target).then(
        function () {
          if (status) { status.textContent = "Copied."; }
        },
        function () {
          selectText(target);
          if (status) { status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected address."; }
        }
      );
    });
  }

  document.querySelectorAll("button[data-copy-target]").forEach(setUp);
})();
