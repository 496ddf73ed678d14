// MSAL 5 redirect bridge page: popups, hidden frames and redirects all come back through here.
// The URL carries an authorization code, so nothing here logs or stores it.
(function () {
  "use strict";
  var status = document.getElementById("status");
  if (!window.msalRedirectBridge) {
    if (status) status.textContent = "Sign-in couldn't finish: a file of this site didn't load. Close this window and try again.";
    return;
  }
  window.msalRedirectBridge.broadcastResponseToMainFrame().catch(function () {
    if (status) status.textContent = "Sign-in couldn't finish. Close this window and try again from secret-wizard.";
  });
})();
