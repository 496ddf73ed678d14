//! MSAL.js interop.
