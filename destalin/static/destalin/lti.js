// LTI launches inside a platform's frame. Progressive: every page works without it, as a
// button or a link to press.
(function () {
  "use strict";
  // Deep linking: hand the signed answer back to the platform at once.
  var answer = document.querySelector("form[data-autosubmit]");
  if (answer) { answer.submit(); }

  // Dynamic registration: tell the platform it may close its dialog (LTI-DR 1.0, 3.6).
  if (document.querySelector("[data-lti-close]")) {
    (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }

  // The platform's storage (1EdTech "LTI Client Side postMessages", lti.put_data and
  // lti.get_data; destalin/lti/platform_storage.py): the frame the platform named, messages
  // addressed to its OIDC endpoint's origin only, and answers taken from that origin only.
  function storageFrame(name) {
    var parent = window.parent !== window ? window.parent : window.opener;
    if (!parent || !name) { return null; }
    if (name === "_parent") { return parent; }
    try { return parent.frames[name] || null; } catch (error) { return null; }
  }

  function messageId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // One message and its answer (a Promise of the answer's data); no answer in 3 s fails.
  function ask(frame, origin, message) {
    return new Promise(function (resolve, reject) {
      message.message_id = messageId();
      var timer = window.setTimeout(function () { stop(); reject(new Error("no answer")); }, 3000);
      function stop() {
        window.clearTimeout(timer);
        window.removeEventListener("message", listen);
      }
      function listen(event) {
        var data = event.data;
        if (event.origin !== origin || !data || data.message_id !== message.message_id ||
            data.subject !== message.subject + ".response") { return; }
        stop();
        if (data.error) { reject(new Error(data.error.message || data.error.code)); } else { resolve(data); }
      }
      window.addEventListener("message", listen);
      frame.postMessage(message, origin);
    });
  }

  function storage(element) {
    var frame = storageFrame(element.dataset.storageTarget);
    var origin = element.dataset.storageOrigin;
    return {
      put: function (key, value) {
        return frame ? ask(frame, origin, { subject: "lti.put_data", key: key, value: value })
          : Promise.reject(new Error("no frame"));
      },
      get: function (key) {
        return frame ? ask(frame, origin, { subject: "lti.get_data", key: key })
          : Promise.reject(new Error("no frame"));
      }
    };
  }

  // The launch's second step in a frame without cookies: the platform's storage must hold
  // this launch's state and nonce before its one-time key goes back to Destalin.
  var proof = document.getElementById("lti-storage-check");
  if (proof) {
    var kept = storage(proof);
    var state = proof.dataset.state, nonce = proof.dataset.nonce;
    Promise.all([kept.get("state_" + state), kept.get("nonce_" + nonce)]).then(function (found) {
      if (found[0].value === state && found[1].value === nonce) { proof.submit(); } else { throw new Error("not found"); }
    }).catch(function () {
      document.getElementById("lti-storage-checking").hidden = true;
      document.getElementById("lti-storage-failed").hidden = false;
    });
  }

  // OIDC login: go on in this frame if it may keep cookies; if not, keep the state and
  // nonce in the platform's storage where it offers one; otherwise offer the same launch in
  // a new window (pylti1p3's check, without inline script).
  var check = document.getElementById("lti-cookie-check");
  if (!check) { return; }
  var secure = check.dataset.protocol === "https";
  var newWindow = document.getElementById("lti1p3-new-tab-link").href;
  function offerNewWindow() {
    document.getElementById("lti1p3-loading-msg").hidden = true;
    document.getElementById("lti1p3-warning-msg").hidden = false;
  }
  document.cookie = "lti1p3_test_cookie=1; path=/" + (secure ? "; SameSite=None; Secure; Partitioned" : "");
  if (document.cookie.indexOf("lti1p3_test_cookie") !== -1) {
    document.cookie = "lti1p3_test_cookie=1; path=/; expires=Thu, 01 Jan 1970 00:00:01 GMT";
    window.location.replace(newWindow);
  } else if (check.dataset.storageTarget) {
    var platform = storage(check);
    platform.put("state_" + check.dataset.state, check.dataset.state).then(function () {
      return platform.put("nonce_" + check.dataset.nonce, check.dataset.nonce);
    }).then(function () {
      window.location.replace(check.dataset.authUrl);
    }).catch(offerNewWindow);
  } else {
    offerNewWindow();
  }
}());
