/* Filling a form in the portal: the signature pad, and focus on the error summary.
 *
 * The pad draws on a <canvas> with pointer events (finger, pen or mouse) and keeps the drawing as
 * a PNG data URL in the hidden input `signature-drawn`, which is posted with the form. Without
 * this script the pad stays hidden and the client signs with the "I confirm this typed name as my
 * signature" box, which is also the keyboard-accessible way to sign.
 */
(function () {
  "use strict";

  function setUpPad(pad) {
    var canvas = pad.querySelector("[data-signature-canvas]");
    var clear = pad.querySelector("[data-signature-clear]");
    var form = pad.closest("form");
    var value = form ? form.querySelector("[data-signature-value]") : null;
    if (!canvas || !value || !canvas.getContext) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    var hasInk = false;

    function blank() {
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111111";
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height),
      };
    }

    blank();
    if (value.value) {
      var previous = new Image();
      previous.onload = function () {
        context.drawImage(previous, 0, 0, canvas.width, canvas.height);
        hasInk = true;
      };
      previous.src = value.value;
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var at = point(event);
      context.beginPath();
      context.moveTo(at.x, at.y);
      context.lineTo(at.x + 0.1, at.y + 0.1);
      context.stroke();
      hasInk = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var at = point(event);
      context.lineTo(at.x, at.y);
      context.stroke();
    });
    function finish() {
      if (!drawing) {
        return;
      }
      drawing = false;
      if (hasInk) {
        value.value = canvas.toDataURL("image/png");
      }
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("pointerleave", finish);

    if (clear) {
      clear.addEventListener("click", function () {
        blank();
        hasInk = false;
        value.value = "";
      });
    }
    pad.hidden = false;
  }

  function start() {
    document.querySelectorAll("[data-signature-pad]").forEach(setUpPad);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
