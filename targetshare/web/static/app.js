/* targetshare: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  var csrf = function () { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; };

  function record(ask, channel) {
    if (!ask) return Promise.resolve();
    var body = new URLSearchParams({ channel: channel, csrf_token: csrf() });
    return fetch("/asks/" + ask + "/send", {
      method: "POST", body: body, credentials: "same-origin", keepalive: true,
      headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" }
    });
  }

  function note(el, text) {
    var form = el.closest("form");
    var out = form && form.querySelector(".sent-note");
    if (out) out.textContent = text;
    var card = el.closest(".card");
    if (card) card.classList.add("sent");
  }

  function showVideo() {
    var watch = document.getElementById("watch");
    if (!watch) return;
    watch.hidden = false;
    var video = document.getElementById("campaign-video");
    if (video && video.play) { var p = video.play(); if (p && p.catch) p.catch(function () {}); }
  }

  document.addEventListener("click", function (ev) {
    var copy = ev.target.closest(".copy-link");
    if (copy) {
      ev.preventDefault();
      var url = copy.dataset.url;
      var done = function () { note(copy, "Link copied. Paste it into any message."); record(copy.dataset.ask, "copy"); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, done);
      } else { done(); }
      return;
    }
    var share = ev.target.closest(".web-share");
    if (share && navigator.share) {
      ev.preventDefault();
      var text = share.closest("form").querySelector("textarea").value;
      navigator.share({ title: share.dataset.title, text: text }).then(function () {
        note(share, "Shared."); record(share.dataset.ask, "share");
      }, function () {});
    }
  });

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.classList.contains("send-form")) {
      var btn = ev.submitter;
      window.setTimeout(function () { note(form, "Sent" + (btn ? " by " + btn.textContent.trim() : "") + ". Thank you!"); }, 300);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (ev) {
    var form = ev.detail.elt;
    if (form && form.classList && form.classList.contains("watch-while")) showVideo();
  });

  document.addEventListener("htmx:afterSwap", function (ev) {
    var title = document.getElementById("cards-title");
    var status = document.getElementById("matching-status");
    if (status) status.textContent = title ? "Done: your friends are below." : "";
    if (title && ev.detail.target && (ev.detail.target.id === "results" || ev.detail.target.id === "cards")) title.focus();
    enhance();
  });

  function enhance() {
    if (navigator.share) {
      document.querySelectorAll(".web-share").forEach(function (b) { b.hidden = false; });
    }
    var pickerPanel = document.getElementById("picker-panel");
    if (pickerPanel && "contacts" in navigator && "ContactsManager" in window) pickerPanel.hidden = false;
  }

  async function pick() {
    var wanted = ["name", "tel", "email", "address"];
    var supported = await navigator.contacts.getProperties();
    var chosen = await navigator.contacts.select(wanted.filter(function (p) { return supported.indexOf(p) >= 0; }), { multiple: true });
    if (!chosen || !chosen.length) return;
    showVideo();
    var response = await fetch("/connect/picker", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), "HX-Request": "true" },
      body: JSON.stringify({ contacts: chosen })
    });
    var results = document.getElementById("results");
    results.innerHTML = await response.text();
    if (window.htmx) window.htmx.process(results);
    enhance();
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance();
    var button = document.getElementById("pick-contacts");
    if (button) button.addEventListener("click", function () { pick().catch(function () {}); });
  });
})();
