/* The demo's comment widget: it fills each element with a data-thread attribute with that thread's
   comments, read as JSON from the origin this script came from, a page at a time ("Load more
   comments"); an element with data-defer waits for a click on "Show comments". */
(function () {
  var origin = new URL(document.currentScript.src).origin;

  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }

  function item(c) {
    var replies = (c.replies || []).map(item).join("");
    return '<li class="comment" id="comment-' + c.number + '">' +
      '<div class="comment-meta"><span class="comment-num">#' + c.number + '</span> ' +
      '<span class="comment-author">' + esc(c.author) + '</span> ' +
      '<time datetime="' + esc(c.date) + '">' + esc(c.shown) + '</time></div>' +
      '<div class="comment-text"><p>' + esc(c.text) + '</p></div>' +
      (replies ? '<ol class="children">' + replies + '</ol>' : '') + '</li>';
  }

  function button(box, label, then) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", function () { b.remove(); then(); });
    box.appendChild(b);
  }

  function load(box, list, page) {
    fetch(origin + "/threads/" + box.dataset.thread + "-" + page + ".json")
      .then(function (r) { return r.json(); })
      .then(function (data) {
        list.insertAdjacentHTML("beforeend", data.comments.map(item).join(""));
        if (data.next) {
          button(box, "Load more comments", function () { load(box, list, data.next); });
        }
      });
  }

  document.querySelectorAll("[data-thread]").forEach(function (box) {
    var list = document.createElement("ol");
    list.className = "comment-list";
    box.appendChild(list);
    if (box.dataset.defer) {
      button(box, "Show comments", function () { load(box, list, 1); });
    } else {
      load(box, list, 1);
    }
  });
})();
