/* kg: starts Swagger UI (served by kg under /static/vendor/) on the /api/ page, over the OpenAPI
   description the page names. No inline script: the page's policy allows only kg's own files. */
"use strict";
(function () {
  var root = document.getElementById("api-explorer");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    domNode: root,
    url: root.getAttribute("data-openapi"),
    validatorUrl: null, // never ask a validator elsewhere
    deepLinking: false,
    defaultModelsExpandDepth: 0,
  });
})();
