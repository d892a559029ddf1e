// Portcullis passkeys: the browser half of the WebAuthn ceremonies on the sign-in, user and invitation pages.
// Every page that uses it carries it inline, allowed by its SHA-256 in the page's Content-Security-Policy.
(function () {
  "use strict";
  var supported = !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create);

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (d) { return Object.assign({}, d, { id: toBuffer(d.id) }); });
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: toBuffer(json.challenge),
      user: Object.assign({}, json.user, { id: toBuffer(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials)
    });
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: toBuffer(json.challenge),
      allowCredentials: descriptors(json.allowCredentials)
    });
  }

  function credentialJson(credential) {
    if (typeof credential.toJSON === "function") {
      return JSON.stringify(credential.toJSON());
    }
    var r = credential.response;
    var json = {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      json.response.attestationObject = toText(r.attestationObject);
      json.response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(r.authenticatorData);
      json.response.signature = toText(r.signature);
      json.response.userHandle = r.userHandle ? toText(r.userHandle) : null;
    }
    return JSON.stringify(json);
  }

  function show(form, text) {
    var message = form.querySelector(".passkey-message");
    if (message && text) {
      message.textContent = text;
      message.hidden = false;
    }
  }

  function describe(error) {
    var name = error && error.name;
    if (name === "AbortError") { return null; }
    if (name === "NotAllowedError") { return "No passkey was used: it was cancelled, or took too long. Try again."; }
    if (name === "InvalidStateError") { return "A passkey of this device is registered for you already."; }
    if (name === "SecurityError") { return "Passkeys cannot be used on this address."; }
    return "Passkeys did not work in this browser" + (name ? " (" + name + ")" : "") + ".";
  }

  function submitWith(form, credential) {
    form.elements.credential.value = credentialJson(credential);
    form.submit();
  }

  // Sign-in: the options are in the form; the button asks for a passkey, and the email field offers them
  // (conditional mediation) where the browser can.
  Array.prototype.forEach.call(document.querySelectorAll("form.passkey-sign-in"), function (form) {
    var button = form.querySelector("button.passkey-start");
    if (!supported) {
      return; // the button stays hidden: the password form is all there is
    }
    button.hidden = false;
    var options = JSON.parse(form.dataset.options);
    var current = null;
    function ask(mediation) {
      if (current) { current.abort(); }
      var controller = new AbortController();
      current = controller;
      var request = { publicKey: requestOptions(options), signal: controller.signal };
      if (mediation) { request.mediation = mediation; }
      navigator.credentials.get(request).then(function (credential) {
        if (credential) { submitWith(form, credential); }
      }, function (error) {
        if (current === controller && !mediation) { show(form, describe(error)); }
      });
    }
    button.addEventListener("click", function () { ask(null); });
    if (typeof PublicKeyCredential.isConditionalMediationAvailable === "function") {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (available && current === null) { ask("conditional"); }
      }, function () {});
    }
  });

  // Registration: the options come from the form's options address (a fresh challenge each time).
  Array.prototype.forEach.call(document.querySelectorAll("form.passkey-register"), function (form) {
    var button = form.querySelector("button.passkey-start");
    if (!supported) {
      show(form, "This browser cannot create passkeys.");
      button.disabled = true;
      return;
    }
    function register() {
      button.disabled = true;
      var body = new URLSearchParams();
      Array.prototype.forEach.call(form.querySelectorAll("input[data-options-field]"), function (input) {
        body.append(input.name, input.value);
      });
      fetch(form.dataset.optionsUrl, {
        method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          throw { name: "OptionsRefused", status: response.status };
        }
        return response.json();
      }).then(function (answer) {
        form.elements.ceremony.value = answer.ceremony;
        return navigator.credentials.create({ publicKey: creationOptions(answer.options) });
      }).then(function (credential) {
        submitWith(form, credential);
      }).catch(function (error) {
        button.disabled = false;
        show(form, error && error.name === "OptionsRefused"
          ? "The page is out of date (" + error.status + "). Reload it and try again." : describe(error));
      });
    }
    button.addEventListener("click", register);
    if (form.dataset.autostart === "true") { register(); }
  });
})();
