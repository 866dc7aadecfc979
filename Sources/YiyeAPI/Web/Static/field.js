// The field form on a phone: photos straight from the camera (scaled down, uploaded as the object's evidence and named
// in the item's result), the business's signature drawn on the screen (uploaded as a PNG), and a draft that survives a
// lost connection: every change is kept in this browser, and a form sent while offline waits and goes when the
// connection is back. Without scripts the form still posts; only the camera and the signature need them.
(function () {
  "use strict";
  var form = document.getElementById("field");
  if (!form) return;
  var base = "/draws/" + form.dataset.draw + "/objects/" + encodeURIComponent(form.dataset.object);
  var draftKey = "yiye-field-draft:" + form.dataset.draw + ":" + form.dataset.object;
  var photoKey = "yiye-field-photos:" + form.dataset.draw + ":" + form.dataset.object;
  var note = document.getElementById("draft-note");
  var csrf = form.querySelector("input[name=csrf]").value;
  document.querySelectorAll(".script-only").forEach(function (element) { element.hidden = false; });

  function say(text) { note.textContent = text; note.hidden = !text; }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } }
  function store(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private */ } }

  // Evidence: a hidden field per reference, shown as a thumbnail.
  function attach(item, reference, thumbnail) {
    var box = document.getElementById("evidence-" + item);
    if (box.querySelector('input[value="' + reference + '"]')) return;
    var input = document.createElement("input");
    input.type = "hidden"; input.name = "evidence-" + item; input.value = reference;
    box.appendChild(input);
    if (thumbnail) {
      var image = document.createElement("img");
      image.src = thumbnail; image.alt = "第 " + item + " 项的照片"; image.className = "thumbnail";
      box.appendChild(image);
    }
    saveDraft();
  }
  function upload(blob, name) {
    return fetch(base + "/evidence?name=" + encodeURIComponent(name), {
      method: "POST", credentials: "same-origin", body: blob,
      headers: { "Content-Type": blob.type, "X-CSRF-Token": csrf, Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error((answer.error && answer.error.message) || "上传失败");
        return answer.reference;
      });
    });
  }
  function fromDataURL(url) {
    var parts = url.split(","), bytes = atob(parts[1]), array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
    return new Blob([array], { type: parts[0].slice(5, parts[0].indexOf(";")) });
  }
  // Photos taken while offline wait in this browser, and go first when the connection is back.
  function flushPhotos() {
    var queued = load(photoKey) || [];
    return queued.reduce(function (done, photo) {
      return done.then(function () {
        return upload(fromDataURL(photo.data), photo.name).then(function (reference) {
          attach(photo.item, reference, photo.data);
          store(photoKey, (load(photoKey) || []).filter(function (p) { return p.data !== photo.data; }));
        });
      });
    }, Promise.resolve());
  }
  document.querySelectorAll("input[data-photo]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files[0], item = input.dataset.photo;
      if (!file) return;
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        var data = canvas.toDataURL("image/jpeg", 0.85), name = "第" + item + "项照片.jpg";
        return upload(fromDataURL(data), name).then(function (reference) {
          attach(item, reference, data);
        }, function (error) {
          if (navigator.onLine) { say("照片上传失败：" + error.message); return; }
          store(photoKey, (load(photoKey) || []).concat([{ item: item, name: name, data: data }]));
          say("网络已断开：照片已保存在本机，联网后自动上传。");
        });
      });
      input.value = "";
    });
  });

  // The signature pad: drawn with a finger or a pen, uploaded as a PNG when the form is sent.
  var pad = document.getElementById("signature-pad"), signed = false;
  if (pad) {
    var pen = pad.getContext("2d"), drawing = false;
    pen.lineWidth = 3; pen.lineCap = "round"; pen.strokeStyle = "#111";
    var at = function (event) {
      var box = pad.getBoundingClientRect();
      return [(event.clientX - box.left) * pad.width / box.width, (event.clientY - box.top) * pad.height / box.height];
    };
    pad.addEventListener("pointerdown", function (event) {
      drawing = true; signed = true; pad.setPointerCapture(event.pointerId);
      var p = at(event); pen.beginPath(); pen.moveTo(p[0], p[1]);
    });
    pad.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = at(event); pen.lineTo(p[0], p[1]); pen.stroke();
    });
    pad.addEventListener("pointerup", function () { drawing = false; });
    document.getElementById("signature-clear").addEventListener("click", function () {
      pen.clearRect(0, 0, pad.width, pad.height); signed = false; document.getElementById("signature").value = "";
    });
  }
  function uploadSignature() {
    var field = document.getElementById("signature");
    var confirmation = form.querySelector("input[name=confirmation]:checked");
    if (!pad || !signed || field.value || !confirmation || confirmation.value !== "signed") return Promise.resolve();
    return new Promise(function (resolve) { pad.toBlob(resolve, "image/png"); }).then(function (blob) {
      return upload(blob, "签名.png").then(function (reference) { field.value = reference; });
    });
  }

  // The draft: every field but the token, kept on each change; given back when the page opens again.
  function saveDraft() {
    var fields = [];
    new FormData(form).forEach(function (value, name) { if (name !== "csrf") fields.push([name, String(value)]); });
    store(draftKey, { fields: fields, sent: false });
  }
  function restore(draft) {
    var names = {};
    draft.fields.forEach(function (pair) { (names[pair[0]] = names[pair[0]] || []).push(pair[1]); });
    Object.keys(names).forEach(function (name) {
      if (name.indexOf("evidence-") === 0) {
        names[name].forEach(function (reference) { attach(name.slice(9), reference, null); });
        return;
      }
      form.querySelectorAll('[name="' + name + '"]').forEach(function (element) {
        if (element.type === "radio" || element.type === "checkbox") element.checked = names[name].indexOf(element.value) >= 0;
        else element.value = names[name][0];
      });
    });
  }
  var kept = load(draftKey);
  if (kept && !kept.sent && !document.querySelector(".error[role=alert]")) {
    restore(kept);
    say("已恢复本机暂存的草稿（尚未提交）。");
  } else if (kept) {
    localStorage.removeItem(draftKey);
  }
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // Sending: the pending uploads first; offline, the form waits for the connection; a refusal replaces the page.
  var waiting = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    var send = function () {
      if (!navigator.onLine) {
        saveDraft();
        say("网络已断开：草稿已保存在本机，联网后将自动提交。");
        if (!waiting) {
          waiting = true;
          window.addEventListener("online", function () { waiting = false; form.requestSubmit(submitter); }, { once: true });
        }
        return;
      }
      flushPhotos().then(uploadSignature).then(function () {
        var body = new URLSearchParams(new FormData(form));
        if (submitter && submitter.name) body.append(submitter.name, submitter.value);
        var draft = load(draftKey) || { fields: [] };
        draft.sent = true;
        store(draftKey, draft);
        return fetch(form.getAttribute("action"), {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }).then(function (response) {
          if (response.redirected) { localStorage.removeItem(draftKey); window.location.href = response.url; return; }
          return response.text().then(function (html) { document.open(); document.write(html); document.close(); });
        });
      }).catch(function () {
        saveDraft();
        say("网络中断：草稿已保存在本机，联网后将自动提交。");
        window.addEventListener("online", function () { form.requestSubmit(submitter); }, { once: true });
      });
    };
    send();
  });
  window.addEventListener("online", function () { flushPhotos().catch(function () {}); });
})();
