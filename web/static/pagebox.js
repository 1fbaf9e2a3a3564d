// The evidence page scrolled to the row its statuses rest on (data-top: the row's offset).
(function () {
  var img = document.getElementById("page-image"), box = document.getElementById("pagebox");
  if (!img || !box) { return; }
  function show() { box.scrollTop = Math.max(0, Number(img.dataset.top) - 80); }
  if (img.complete) { show(); } else { img.addEventListener("load", show); }
})();
