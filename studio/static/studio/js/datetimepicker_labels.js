// The date-time picker Wagtail vendors writes its (normally hidden) "Save Selected" button in
// English, outside gettext: give it the translated label this script tag carries.
(() => {
  const label = document.currentScript.dataset.saveSelectedLabel;
  const relabel = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches(".xdsoft_save_selected")) node.textContent = label;
    node.querySelectorAll(".xdsoft_save_selected").forEach((button) => {
      button.textContent = label;
    });
  };
  new MutationObserver((records) => {
    records.forEach((record) => record.addedNodes.forEach(relabel));
  }).observe(document.documentElement, { childList: true, subtree: true });
  relabel(document.documentElement);
})();
