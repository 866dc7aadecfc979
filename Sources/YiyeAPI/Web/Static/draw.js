// The draw page's steps that the browser must compute. Commit: 32 random bytes from crypto.getRandomValues as 64 hex
// characters, their SM3 (sm3.js) as the commitment; the secret goes into a file the department saves (and this
// browser's local storage, as a second copy) and the form sends the commitment only, once the file is saved. Reveal:
// the saved file (or this browser's copy) fills in the secret, checked against its commitment before it is sent.
(function () {
  "use strict";
  function key(section) { return "yiye-draw-secret:" + section.dataset.draw + ":" + section.dataset.department; }

  var commit = document.getElementById("commit");
  if (commit && window.crypto && window.YiyeSM3) {
    var make = document.getElementById("make-secret");
    make.hidden = false;
    make.addEventListener("click", function () {
      var bytes = new Uint8Array(32);
      window.crypto.getRandomValues(bytes);
      var secret = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      var commitment = window.YiyeSM3.hex(secret);
      var saved = {
        draw: Number(commit.dataset.draw), department: commit.dataset.department, secret: secret, commitment: commitment,
        note: "联合抽取随机数文件：公开阶段凭此文件公开本部门随机数，请妥善保管，勿交他人。",
      };
      try { window.localStorage.setItem(key(commit), JSON.stringify(saved)); } catch (e) { /* private mode: the file is enough */ }
      document.getElementById("commitment").value = commitment;
      document.getElementById("commitment-shown").textContent = commitment;
      var link = document.getElementById("secret-file");
      link.href = URL.createObjectURL(new Blob([JSON.stringify(saved, null, 2)], { type: "application/json" }));
      link.download = "抽取" + saved.draw + "-" + saved.department + "-随机数.json";
      link.addEventListener("click", function () { document.getElementById("commit-submit").disabled = false; });
      document.getElementById("secret-made").hidden = false;
      make.hidden = true;
    });
  }

  var reveal = document.getElementById("reveal");
  var input = document.getElementById("secret");
  if (reveal && input && window.YiyeSM3) {
    var status = document.getElementById("secret-check");
    var use = function (saved) {
      if (!saved || saved.draw !== Number(reveal.dataset.draw) || saved.department !== reveal.dataset.department) {
        status.textContent = "该文件不是本部门本次抽取的随机数文件。";
        return;
      }
      var matches = window.YiyeSM3.hex(saved.secret) === saved.commitment;
      status.textContent = matches ? "随机数与文件中的承诺值一致，可以公开。" : "随机数与承诺值不符，文件可能已损坏。";
      if (matches) input.value = saved.secret;
    };
    document.querySelectorAll("#reveal .script-only").forEach(function (element) { element.hidden = false; });
    document.getElementById("secret-file-input").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      file.text().then(function (text) {
        try { use(JSON.parse(text)); } catch (e) { status.textContent = "无法读取该文件。"; }
      });
    });
    try {
      var kept = window.localStorage.getItem(key(reveal));
      if (kept && !input.value) use(JSON.parse(kept));
    } catch (e) { /* nothing kept here */ }
  }
})();
