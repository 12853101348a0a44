// Runs before first paint (a blocking classic script in <head>; external rather than
// inline so the server's Content-Security-Policy needs no 'unsafe-inline'). It applies
// the remembered theme so that dark-mode users never see a white flash. Mirrors
// src/app/theme-preference.ts; the ThemeProvider takes over once React starts.
(function () {
  var preference = 'system';
  try {
    var stored = window.localStorage.getItem('ecc-theme');
    if (stored === 'light' || stored === 'dark') preference = stored;
  } catch (e) {
    /* storage disabled: follow the system */
  }
  var dark =
    preference === 'dark' ||
    (preference === 'system' && window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  var root = document.documentElement;
  root.setAttribute('data-theme', dark ? 'dark' : 'light');
  root.style.colorScheme = dark ? 'dark' : 'light';
})();
