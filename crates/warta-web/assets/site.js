// Progressive enhancement only: every page works without this file.
// "Salin tautan" copies the article's address instead of following the link, and says so in a
// live region that screen readers announce.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    var status = document.querySelector("[data-copy-status]");
    link.dataset.label = link.dataset.label || link.textContent;
    link.textContent = "\u2713 " + link.dataset.label;
    if (status) status.textContent = status.dataset.copied;
  });
});

// Buttons that take something off the site or delete it ask first. Without JavaScript they
// act at once, as a plain form does.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});

// The newsroom editor's "Baca juga" picker: search stored articles and insert the exact line
// into the body at the cursor. Without JavaScript the editor still takes the line typed by hand.
(function () {
  var picker = document.querySelector("[data-picker]");
  var body = document.getElementById("f-body");
  if (!picker || !body || !window.fetch) return;
  picker.hidden = false;
  var input = picker.querySelector("input");
  var list = picker.querySelector("ul");
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch("/redaksi/cari-artikel?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.items.forEach(function (item) {
            var li = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = item.headline;
            button.addEventListener("click", function () {
              var at = body.selectionStart || body.value.length;
              var text = "\n\n" + item.line + "\n\n";
              body.value = body.value.slice(0, at) + text + body.value.slice(at);
              body.focus();
            });
            li.appendChild(button);
            list.appendChild(li);
          });
        });
    }, 200);
  });
})();

// The editor's "Baca juga" suggestions: one click inserts the line at the cursor. Without
// JavaScript the lines are shown to copy.
(function () {
  var body = document.getElementById("f-body");
  if (!body) return;
  document.querySelectorAll("[data-insert]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var at = body.selectionStart || body.value.length;
      var text = "\n\n" + button.dataset.insert + "\n\n";
      body.value = body.value.slice(0, at) + text + body.value.slice(at);
      body.focus();
      button.closest("li").remove();
    });
  });
})();

// The editor's live preview: the body as readers will see it, refreshed while typing.
(function () {
  var section = document.querySelector("[data-live-preview]");
  var body = document.getElementById("f-body");
  var csrf = document.querySelector("form input[name=csrf]");
  if (!section || !body || !csrf || !window.fetch) return;
  var target = section.querySelector(".body");
  var timer;
  function refresh() {
    var form = new URLSearchParams({ csrf: csrf.value, body: body.value });
    fetch("/redaksi/pratinjau", { method: "POST", body: form, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        target.innerHTML = html; // sanitized by the server, as on the site
        section.hidden = false;
      });
  }
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();

// Breaking news arrives without a reload: the server pushes each change of the alert as a
// server-sent event (the browser reconnects by itself). Without JavaScript the banner shows on
// the next page load.
(function () {
  var banner = document.querySelector("[data-breaking]");
  if (!banner || !window.EventSource) return;
  var text = banner.querySelector("[data-breaking-text]");
  var source = new EventSource("/langsung/breaking");
  source.onmessage = function (event) {
    var alert = JSON.parse(event.data);
    text.textContent = "";
    if (!alert.text) {
      banner.hidden = true;
      return;
    }
    var node = document.createTextNode(alert.text);
    if (alert.url) {
      var link = document.createElement("a");
      link.href = alert.url;
      link.appendChild(node);
      node = link;
    }
    text.appendChild(node);
    banner.hidden = false;
  };
})();

// "Tutup iklan": closing an ad hides that slot for the rest of the visit (this tab's session).
// Without JavaScript the button stays hidden and the ad simply stays.
(function () {
  var store = window.sessionStorage;
  document.querySelectorAll("[data-ad]").forEach(function (ad) {
    var key = "warta-ad-closed-" + ad.dataset.ad;
    try {
      if (store && store.getItem(key)) { ad.hidden = true; return; }
    } catch (e) { /* storage may be off */ }
    var button = ad.querySelector("[data-ad-close]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      ad.hidden = true;
      try { if (store) store.setItem(key, "1"); } catch (e) { /* storage may be off */ }
    });
  });
})();

// A running story's timeline follows the newsroom without a reload: each new update arrives
// as a server-sent event and goes on top (a key event also into "Peristiwa penting"), a
// corrected one replaces its text in place, and a deleted one leaves. The page says which
// update it shows last, so only newer ones come.
(function () {
  var list = document.querySelector("[data-live]");
  if (!list || !window.EventSource) return;
  var status = document.querySelector("[data-live-status]");
  if (status) status.hidden = false;
  var source = new EventSource(list.dataset.live + "?setelah=" + (list.dataset.after || "0") +
    "&sejak=" + (list.dataset.since || "0"));
  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = content;
    return node;
  }
  // The item's content as the server renders it (templates/story.html).
  function fill(item, u) {
    item.textContent = "";
    item.className = u.key ? "update key fresh" : "update fresh";
    var link = document.createElement("a");
    link.className = "stamp";
    link.href = "#kabar-" + u.id;
    var time = text("time", "", u.clock);
    time.dateTime = u.machine;
    time.title = u.stamp;
    link.appendChild(time);
    item.appendChild(link);
    if (u.key) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(text("strong", "key-label", list.dataset.keyLabel));
    }
    item.appendChild(text("p", "", u.body));
    if (u.edited) {
      var note = text("p", "edited", list.dataset.correctedLabel + " ");
      var when = text("time", "", u.edited);
      when.dateTime = u.edited_machine;
      note.appendChild(when);
      item.appendChild(note);
    }
  }
  source.onmessage = function (event) {
    var u = JSON.parse(event.data);
    if (document.getElementById("kabar-" + u.id)) return;
    var item = document.createElement("li");
    item.id = "kabar-" + u.id;
    fill(item, u);
    list.insertBefore(item, list.firstChild);
    var empty = document.querySelector("[data-empty]");
    if (empty) empty.remove();
    if (u.key) addKeyEvent(u);
  };
  function keyEvent(id) {
    var link = document.querySelector('.key-events a[href="#kabar-' + id + '"]');
    return link && link.closest("li");
  }
  // A key event joins the key events ("Peristiwa penting") as the server lists them: newest first, the list
  // made when the story had none.
  function addKeyEvent(u) {
    var keys = document.querySelector(".key-events ul");
    if (!keys) {
      var section = document.createElement("section");
      section.className = "key-events";
      section.setAttribute("aria-labelledby", "key-events");
      var heading = text("h2", "", list.dataset.keyEventsLabel);
      heading.id = "key-events";
      section.appendChild(heading);
      keys = document.createElement("ul");
      section.appendChild(keys);
      var timeline = list.closest("section");
      timeline.parentNode.insertBefore(section, timeline);
    }
    var entry = document.createElement("li");
    var link = document.createElement("a");
    link.href = "#kabar-" + u.id;
    var time = text("time", "", u.stamp);
    time.dateTime = u.machine;
    link.appendChild(time);
    entry.appendChild(link);
    entry.appendChild(document.createTextNode(" " + u.body));
    // Before the first that is not newer: of two in the same second, the later one (the
    // server lists them by id, newest first).
    var when = Date.parse(u.machine);
    var older = Array.prototype.find.call(keys.children, function (other) {
      return Date.parse(other.querySelector("time").dateTime) <= when;
    });
    keys.insertBefore(entry, older || null);
  }
  function drop(id) {
    var item = document.getElementById("kabar-" + id);
    if (item) item.remove();
    dropKeyEvent(id);
  }
  function dropKeyEvent(id) {
    var key = keyEvent(id);
    if (!key) return;
    var keys = key.parentNode;
    key.remove();
    if (!keys.children.length) keys.closest("section").remove();
  }
  // The updates up to "upto" still on the timeline: any other the page shows is gone.
  source.addEventListener("sync", function (event) {
    var sync = JSON.parse(event.data);
    list.querySelectorAll("li[id^='kabar-']").forEach(function (item) {
      var id = parseInt(item.id.slice(6), 10);
      if (id <= sync.upto && sync.ids.indexOf(id) < 0) drop(id);
    });
  });
  source.addEventListener("edit", function (event) {
    var u = JSON.parse(event.data);
    var item = document.getElementById("kabar-" + u.id);
    if (item) fill(item, u);
    var key = keyEvent(u.id);
    if (key && !u.key) dropKeyEvent(u.id);
    if (key && u.key) key.lastChild.textContent = " " + u.body;
    if (!key && u.key && item) addKeyEvent(u);
  });
  source.addEventListener("remove", function (event) {
    drop(parseInt(event.data, 10));
  });
})();

// Embedded video loads only when asked for: until the click the poster is a plain link to the
// host's page, so opening an article makes no request to the video host at all.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-embed]");
  if (!link) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.dataset.embed;
  frame.title = link.dataset.embedTitle || "Video";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.allowFullscreen = true;
  link.replaceWith(frame);
});
