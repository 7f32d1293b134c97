/* kg: the query editor on /sparql. Turns the page's plain form into YASGUI (served by kg under
   /static/vendor/): syntax highlighting, completion of this dataset's prefixes, classes and
   properties (from /sparql/terms.json, never a remote catalogue), the example queries listed on
   the page as tabs, results as a table, a chart or the raw response, each downloadable.
   Without JavaScript, or when YASGUI is missing, the form below keeps working as it is. */
"use strict";
(function () {
  var root = document.getElementById("kg-editor");
  var form = document.querySelector("form.sparql");
  if (!root || !form || typeof window.Yasgui !== "function") return;
  var Yasgui = window.Yasgui;
  var endpoint = new URL(root.getAttribute("data-endpoint"), window.location.href).href;
  var SVG = "http://www.w3.org/2000/svg";

  function loadTerms() {
    return fetch(root.getAttribute("data-terms"), { headers: { Accept: "application/json" } })
      .then(function (answer) {
        if (!answer.ok) throw new Error("terms: HTTP " + answer.status);
        return answer.json();
      })
      .catch(function (error) {
        console.warn("kg editor: no dataset terms for completion", error);
        return { prefixes: {}, classes: [], properties: [] };
      });
  }

  // Completion from the dataset: bulk lists, so completion is instant and needs no request per key.
  function registerCompleters(terms) {
    var Yasqe = Yasgui.Yasqe;
    var prefixLines = Object.keys(terms.prefixes).sort().map(function (name) {
      return name + ": <" + terms.prefixes[name] + ">";
    });
    Yasqe.forkAutocompleter("prefixes", { name: "kgPrefixes", get: prefixLines, persistenceId: null }, false);
    Yasqe.forkAutocompleter("class", { name: "kgClasses", get: terms.classes, bulk: true, persistenceId: null }, false);
    Yasqe.forkAutocompleter(
      "property",
      { name: "kgProperties", get: terms.properties, bulk: true, persistenceId: null },
      false
    );
    return ["variables", "kgPrefixes", "kgClasses", "kgProperties"];
  }

  // A bar chart of the first numeric column against the first other column, drawn as SVG (no
  // chart library from elsewhere); offered when the results have such a column.
  function numericColumn(results) {
    var variables = results.getVariables();
    var bindings = results.getBindings();
    if (!bindings.length) return null;
    for (var i = 0; i < variables.length; i++) {
      var name = variables[i];
      var numbers = bindings.every(function (row) {
        var cell = row[name];
        return !cell || (cell.type === "literal" || cell.type === "typed-literal") && isFinite(parseFloat(cell.value));
      });
      if (numbers && bindings.some(function (row) { return row[name]; })) return name;
    }
    return null;
  }

  var knownPrefixes = {};
  function compact(iri) {
    for (var name in knownPrefixes) {
      var namespace = knownPrefixes[name];
      if (iri.indexOf(namespace) === 0 && iri.length > namespace.length) return name + ":" + iri.slice(namespace.length);
    }
    return iri;
  }

  function KgChart(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = root.getAttribute("data-chart-label") || "Chart";
    this.svg = null;
  }
  KgChart.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    if (!results || typeof results.getBoolean() === "boolean" || !results.getVariables().length) return false;
    return results.getVariables().length >= 2 && numericColumn(results) !== null;
  };
  KgChart.prototype.getIcon = function () {
    var icon = document.createElementNS(SVG, "svg");
    icon.setAttribute("viewBox", "0 0 16 16");
    icon.setAttribute("width", "16");
    icon.setAttribute("height", "16");
    icon.setAttribute("aria-hidden", "true");
    [[1, 9, 3, 6], [6, 4, 3, 11], [11, 7, 3, 8]].forEach(function (bar) {
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", bar[0]);
      rect.setAttribute("y", bar[1]);
      rect.setAttribute("width", bar[2]);
      rect.setAttribute("height", bar[3]);
      rect.setAttribute("fill", "currentColor");
      icon.appendChild(rect);
    });
    var holder = document.createElement("span");
    holder.appendChild(icon);
    return holder;
  };
  KgChart.prototype.draw = function () {
    var results = this.yasr.results;
    var value = numericColumn(results);
    var variables = results.getVariables();
    var others = variables.filter(function (name) { return name !== value; });
    var bindings = results.getBindings();
    // Bars are named by the first column of text (a name reads better than an IRI), else the first other one.
    var label = others.filter(function (name) {
      return bindings.every(function (row) { return !row[name] || row[name].type !== "uri"; });
    })[0] || others[0];
    var rows = bindings.slice(0, 60).map(function (row) {
      var cell = row[label];
      var text = cell ? (cell.type === "uri" ? compact(cell.value) : cell.value) : "";
      return { label: text.length > 44 ? text.slice(0, 43) + "…" : text, value: row[value] ? parseFloat(row[value].value) : 0 };
    });
    var max = Math.max.apply(null, rows.map(function (row) { return Math.abs(row.value); }).concat([1]));
    var bar = 22, left = 360, width = 960, top = 24;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("xmlns", SVG);
    svg.setAttribute("class", "kg-chart");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (top + rows.length * bar + 8));
    svg.setAttribute("role", "img");
    var title = document.createElementNS(SVG, "title");
    title.textContent = value + " / " + label;
    svg.appendChild(title);
    svg.setAttribute("aria-label", value + " / " + label);
    var heading = document.createElementNS(SVG, "text");
    heading.setAttribute("x", left);
    heading.setAttribute("y", 16);
    heading.setAttribute("font-weight", "bold");
    heading.textContent = value;
    svg.appendChild(heading);
    rows.forEach(function (row, index) {
      var y = top + index * bar;
      var name = document.createElementNS(SVG, "text");
      name.setAttribute("x", left - 8);
      name.setAttribute("y", y + bar * 0.7);
      name.setAttribute("text-anchor", "end");
      name.textContent = row.label;
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", left);
      rect.setAttribute("y", y + 3);
      rect.setAttribute("height", bar - 6);
      rect.setAttribute("width", Math.max(1, (Math.abs(row.value) / max) * (width - left - 90)));
      rect.setAttribute("fill", "#1f5fa8");
      var number = document.createElementNS(SVG, "text");
      number.setAttribute("x", left + Math.max(1, (Math.abs(row.value) / max) * (width - left - 90)) + 6);
      number.setAttribute("y", y + bar * 0.7);
      number.textContent = String(row.value);
      svg.appendChild(name);
      svg.appendChild(rect);
      svg.appendChild(number);
    });
    this.svg = svg;
    this.yasr.resultsEl.appendChild(svg);
  };
  KgChart.prototype.download = function () {
    var svg = this.svg;
    if (!svg) return undefined;
    return {
      contentType: "image/svg+xml",
      getData: function () { return new XMLSerializer().serializeToString(svg); },
      filename: "chart.svg",
      title: "Download the chart (SVG)",
    };
  };

  // YASGUI's markup as axe-core reads it, repaired whenever YASGUI redraws: its tab list is a
  // row of links (the panels a tab would control exist only once shown), the editor's text area
  // and the table's page-size selector get names.
  function repair() {
    var list = root.querySelector(".tabsList[role=tablist]");
    if (list) list.removeAttribute("role");
    Array.prototype.forEach.call(root.querySelectorAll(".tabsList a"), function (tab) {
      ["role", "aria-controls", "aria-selected"].forEach(function (name) {
        if (tab.hasAttribute(name)) tab.removeAttribute(name);
      });
    });
    Array.prototype.forEach.call(root.querySelectorAll(".tabsList .tab"), function (tab) {
      var link = tab.querySelector("a");
      if (!link) return;
      var active = tab.classList.contains("active");
      if (active && link.getAttribute("aria-current") !== "page") link.setAttribute("aria-current", "page");
      if (!active && link.hasAttribute("aria-current")) link.removeAttribute("aria-current");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".CodeMirror textarea:not([aria-label])"), function (area) {
      area.setAttribute("aria-label", root.getAttribute("data-query-label") || "Query");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".CodeMirror-scroll:not([tabindex=\"0\"])"), function (scroll) {
      scroll.setAttribute("tabindex", "0"); // a scrolling region is reachable by keyboard
    });
    Array.prototype.forEach.call(root.querySelectorAll(".yasr_btn"), function (button) {
      var off = button.classList.contains("disabled");
      if (off && button.getAttribute("aria-disabled") !== "true") button.setAttribute("aria-disabled", "true");
      if (!off && button.hasAttribute("aria-disabled")) button.removeAttribute("aria-disabled");
    });
    Array.prototype.forEach.call(root.querySelectorAll("select.tableSizer:not([aria-label])"), function (select) {
      select.setAttribute("aria-label", root.getAttribute("data-page-size-label") || "Rows per page");
    });
  }

  // YASGUI speaks English only: its words are put in the reader's language (data-words, from
  // kg.web.tool_words), never the data (the table's body, the editor's text, the raw response).
  var words = JSON.parse(root.getAttribute("data-words") || "{}");
  var PATTERNS = [
    [/^(\d+) results? in ([\d.]+) seconds?$/, "results_in"],
    [/^Showing (\d+) to (\d+) of (\d+) entries$/, "showing"],
    [/^Shows (.+) view$/, "shows_view"],
    [/^(.+): Activate to sort$/, "activate_sort"],
    [/^View documentation of (.+)$/, "view_docs"],
  ];
  var ATTRIBUTES = ["title", "aria-label", "placeholder"];
  function translated(text) {
    var exact = words.exact || {};
    var trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(exact, trimmed)) return text.replace(trimmed, exact[trimmed]);
    for (var i = 0; i < PATTERNS.length; i++) {
      var found = trimmed.match(PATTERNS[i][0]);
      var template = (words.patterns || {})[PATTERNS[i][1]];
      if (found && template) {
        return template.replace(/\{(\d)\}/g, function (_, n) {
          var part = found[Number(n)];
          return Object.prototype.hasOwnProperty.call(exact, part) ? exact[part] : part;
        });
      }
    }
    return null;
  }
  // Where the data is: never translated, and not even walked (a table may have thousands of cells).
  var DATA = "thead, tbody, .CodeMirror-code, .CodeMirror-hints, pre, svg.kg-chart, .tabsList a > span";
  var DATA_ATTRIBUTES = "tbody, .CodeMirror-code, .CodeMirror-hints, svg.kg-chart";
  function translate() {
    if (!words.exact) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
        return node.matches(DATA) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      },
    });
    var node;
    while ((node = walker.nextNode())) {
      var text = translated(node.nodeValue);
      if (text !== null && text !== node.nodeValue) node.nodeValue = text;
    }
    Array.prototype.forEach.call(root.querySelectorAll("[title], [aria-label], [placeholder]"), function (element) {
      if (element.closest(DATA_ATTRIBUTES)) return;
      ATTRIBUTES.forEach(function (name) {
        var value = element.getAttribute(name);
        var text = value === null ? null : translated(value);
        if (text !== null && text !== value) element.setAttribute(name, text);
      });
    });
  }

  // The tabs: the query in the form (the one the URL asked for, if any), then every example.
  function examples() {
    var links = document.querySelectorAll("a.example-query");
    return Array.prototype.map.call(links, function (link) {
      // data-query: the example with the prefixes it uses declared, so the editor finds no error in it
      var query = link.getAttribute("data-query") || new URL(link.href).searchParams.get("query") || "";
      return { name: link.getAttribute("data-name"), query: query };
    });
  }

  function start(terms) {
    var completers = registerCompleters(terms);
    knownPrefixes = terms.prefixes;
    Yasgui.Yasr.registerPlugin("chart", KgChart);
    var textarea = form.querySelector("textarea");
    var asked = new URL(window.location.href).searchParams.get("query");
    // The editor's share button links to this page with the query after `#`: open and run it.
    var shared = new URLSearchParams(window.location.hash.slice(1)).get("query");
    var initial = shared || textarea.value;
    root.hidden = false; // before YASGUI measures its editor
    var yasgui = new Yasgui(root, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      persistenceId: null, // the tabs are this page's; nothing is kept in the browser
      populateFromUrl: false,
      autoAddOnInit: false,
      autofocus: false,
      yasqe: { autocompleters: completers, persistenceId: null, value: initial, collapsePrefixesOnLoad: true },
      yasr: {
        prefixes: terms.prefixes,
        pluginOrder: ["table", "chart", "response"],
        defaultPlugin: "table",
        persistenceId: null,
      },
    });
    var first = yasgui.addTab(true, { name: root.getAttribute("data-tab-label") || "Query", yasqe: { value: initial } });
    examples().forEach(function (example) {
      yasgui.addTab(false, { name: example.name, yasqe: { value: example.query } });
    });
    form.hidden = true;
    var help = document.getElementById("editor-help");
    if (help) help.hidden = false;
    var served = document.querySelector(".server-results");
    if (asked || shared) {
      // The server's table gives way to the editor's once the editor has its answer (a query the
      // editor finds invalid is not sent, and the server's error stays in view).
      if (served) yasgui.once("queryResponse", function () { served.hidden = true; });
      first.query().catch(function () {});
    }
    // Examples open in their tab instead of reloading the page.
    Array.prototype.forEach.call(document.querySelectorAll("a.example-query"), function (link) {
      link.addEventListener("click", function (event) {
        var name = link.getAttribute("data-name");
        var tab = Object.keys(yasgui._tabs).map(function (id) { return yasgui._tabs[id]; }).filter(function (t) {
          return t.getName() === name;
        })[0];
        if (!tab) return;
        event.preventDefault();
        yasgui.selectTabId(tab.getId());
        root.scrollIntoView();
      });
    });
    function tidy() {
      repair();
      translate();
    }
    tidy();
    new MutationObserver(tidy).observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["role", "class", "title", "aria-label", "placeholder", "aria-selected", "aria-controls"],
    });
    window.kgEditor = yasgui; // for the browser tests and the curious
  }

  loadTerms().then(start);
})();
