/* Searchable pickers and following filters (progressive enhancement: every select works without
 * this file). No inline script, no eval: loaded by templates/base.html after Tom Select.
 *
 * - <select data-picker="person" data-search-url=...> becomes a Tom Select box that searches the
 *   server (cadres:person_search) as the user types; each option reads "姓名 · 村 · 当前职务".
 * - <select data-follows="township" data-options-url=...> (a village filter) reloads its options
 *   for the township chosen in the same form (villages:village_options).
 */
(function () {
  "use strict";

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        return response.ok ? response.json() : null;
      }
    );
  }

  function withParam(url, name, value) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + name + "=" + encodeURIComponent(value);
  }

  function personPicker(select) {
    if (select.tomselect || typeof window.TomSelect === "undefined") return;
    var url = select.getAttribute("data-search-url");
    var noResults = select.getAttribute("data-no-results") || "";
    var hint = select.getAttribute("data-hint") || "";
    var picker = new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 50,
      loadThrottle: 250,
      placeholder: hint,
      load: function (query, callback) {
        fetchJson(withParam(url, "q", query))
          .then(function (data) {
            callback(data ? data.results : []);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(noResults) + "</div>";
        },
        loading: function () {
          return '<div class="spinner"></div>';
        },
      },
    });
    // Tom Select's box (the <label> now points at it) replaces the select, which still carries the
    // value: hidden altogether, so the page has one field of that name, and the server's own
    // "required" error (shown next to the field, values kept) answers an empty choice.
    picker.input.required = false;
    picker.input.hidden = true;
  }

  function followingSelect(select) {
    var form = select.form;
    var township = form && form.elements.namedItem(select.getAttribute("data-follows"));
    if (!township) return;
    township.addEventListener("change", function () {
      // Cleared at once, before the form's own change handler (htmx) sends the filter.
      select.value = "";
      var url = select.getAttribute("data-options-url");
      if (township.value) url = withParam(url, "township", township.value);
      fetchJson(url)
        .then(function (data) {
          if (!data) return;
          while (select.options.length > 1) select.remove(1);
          data.results.forEach(function (option) {
            select.add(new Option(option.text, option.value));
          });
          select.value = "";
        })
        .catch(function () {});
    });
  }

  function init(root) {
    root.querySelectorAll('select[data-picker="person"]').forEach(personPicker);
    root.querySelectorAll("select[data-follows]").forEach(followingSelect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
