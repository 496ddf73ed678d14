//! Sans-IO Microsoft Graph client: applications, owners, addPassword, removePassword.
