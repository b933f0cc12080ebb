// Loaded (not deferred) at the top of <body>: marks the page as having JavaScript before it is
// drawn, so GOV.UK Frontend's components do not flash their no-JavaScript form. A file rather
// than inline code, so the Content-Security-Policy can forbid inline script everywhere.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
