// SM3 (GB/T 32905-2016) in the page's own script, so that a department's secret never leaves its browser before
// the reveal: YiyeSM3.hex(text) is the SM3 of the text's UTF-8 bytes as 64 lowercase hex characters, as the server's
// SM3.hex. Checked against the standard's two examples and against the server's digests (scripts/workbench-browser.py).
(function () {
  "use strict";
  var IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

  function rotl(x, n) {
    n %= 32;
    return ((x << n) | (x >>> (32 - n))) >>> 0;
  }
  function p0(x) { return (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0; }
  function p1(x) { return (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0; }

  function compress(v, block) {
    var w = new Array(68), w1 = new Array(64), j;
    for (j = 0; j < 16; j++) {
      w[j] = ((block[4 * j] << 24) | (block[4 * j + 1] << 16) | (block[4 * j + 2] << 8) | block[4 * j + 3]) >>> 0;
    }
    for (j = 16; j < 68; j++) {
      w[j] = (p1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6]) >>> 0;
    }
    for (j = 0; j < 64; j++) w1[j] = (w[j] ^ w[j + 4]) >>> 0;
    var a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
    for (j = 0; j < 64; j++) {
      var t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      var ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) >>> 0, 7);
      var ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      var ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      var gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      var tt1 = ((ff >>> 0) + d + ss2 + w1[j]) >>> 0;
      var tt2 = ((gg >>> 0) + h + ss1 + w[j]) >>> 0;
      d = c; c = rotl(b, 9); b = a; a = tt1;
      h = g; g = rotl(f, 19); f = e; e = p0(tt2);
    }
    return [a, b, c, d, e, f, g, h].map(function (x, i) { return (x ^ v[i]) >>> 0; });
  }

  function digest(bytes) {
    var length = bytes.length, padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
    padded.set(bytes);
    padded[length] = 0x80;
    // The length in bits, big-endian, in the last 8 bytes (messages under 2^53 bits).
    var bits = length * 8;
    for (var i = 0; i < 8; i++) {
      padded[padded.length - 1 - i] = i < 4 ? (bits >>> (8 * i)) & 0xff : Math.floor(bits / 4294967296) >>> (8 * (i - 4)) & 0xff;
    }
    var v = IV.slice();
    for (var offset = 0; offset < padded.length; offset += 64) v = compress(v, padded.subarray(offset, offset + 64));
    return v.map(function (x) { return ("0000000" + x.toString(16)).slice(-8); }).join("");
  }

  window.YiyeSM3 = {
    hex: function (text) { return digest(new TextEncoder().encode(text)); },
    bytes: digest,
  };
})();
