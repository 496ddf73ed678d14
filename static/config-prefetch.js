// Starts reading config.json while the app's own code is still on its way: the app
// (src/app/boot.rs, load_config) takes this answer instead of asking again, which saves the
// round trip on the way to the first screen. Without this file the app fetches config.json
// itself, the same way: never from a cache, without cookies or a referrer, 15 s at most.
// The promise never rejects: a failure is an answer too ({ failed: true }).
(function () {
  "use strict";
  var abort = new AbortController();
  var deadline = setTimeout(function () { abort.abort(); }, 15000);
  window.secretWizardConfig = fetch("./config.json", {
    cache: "no-store",
    credentials: "omit",
    referrerPolicy: "no-referrer",
    signal: abort.signal
  })
    .then(function (response) {
      return response.text().then(function (body) {
        return { status: response.status, body: body };
      });
    })
    .catch(function () {
      return { failed: true };
    })
    .then(function (answer) {
      clearTimeout(deadline);
      return answer;
    });
})();
