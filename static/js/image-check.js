/* The admin's image inputs: check a chosen file's type and size before it is uploaded, with the
   server's own messages and limit (data-image-* attributes, forum/images/validation.py). The
   server checks every upload again; this only spares the editor a long upload and a lost form. */
(function () {
  "use strict";

  var KB = 1024, MB = KB * 1024, GB = MB * 1024;

  // Django's filesizeformat as the site prints it in Japanese (12.0 MB).
  function sizeLabel(bytes) {
    function oneDecimal(value) { return (Math.round(value * 10) / 10).toFixed(1); }
    if (bytes < KB) return bytes + "\u00a0バイト";
    if (bytes < MB) return oneDecimal(bytes / KB) + "\u00a0KB";
    if (bytes < GB) return oneDecimal(bytes / MB) + "\u00a0MB";
    return oneDecimal(bytes / GB) + "\u00a0GB";
  }

  function fill(template, file) {
    return template.split("{name}").join(file.name).split("{size}").join(sizeLabel(file.size));
  }

  // JPEG, PNG or WebP by their first bytes, as the server reads them (never by the file name).
  function isAllowedImage(bytes) {
    var jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    var png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every(function (b, i) { return bytes[i] === b; });
    var text = String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, 0, 12));
    var webp = text.slice(0, 4) === "RIFF" && text.slice(8, 12) === "WEBP";
    return jpeg || png || webp;
  }

  function messageFor(input) {
    var id = input.id + "-image-check";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.id = id;
      message.className = "image-check-error";
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
    }
    return message;
  }

  function clear(input) {
    var message = document.getElementById(input.id + "-image-check");
    if (message) message.remove();
    input.removeAttribute("aria-invalid");
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (token) {
      return token && token !== input.id + "-image-check";
    });
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function refuse(input, text) {
    input.value = "";  // nothing to upload: the stored image (if any) stays
    var message = messageFor(input);
    message.textContent = text;
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(message.id) < 0) described.push(message.id);
    input.setAttribute("aria-describedby", described.join(" "));
  }

  function check(input) {
    clear(input);
    var file = input.files && input.files[0];
    if (!file) return;
    if (file.size > Number(input.dataset.imageMaxBytes)) {
      refuse(input, fill(input.dataset.imageTooLarge, file));
      return;
    }
    file.slice(0, 12).arrayBuffer().then(function (buffer) {
      if (input.files[0] === file && !isAllowedImage(new Uint8Array(buffer))) {
        refuse(input, fill(input.dataset.imageFormat, file));
      }
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.dataset.imageMaxBytes) check(input);
  });
})();
