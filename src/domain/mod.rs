//! Pure rules: lifetime, expiry status, secret naming, tags, rotation plan.
