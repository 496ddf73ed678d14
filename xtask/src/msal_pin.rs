//! The MSAL.js files the site ships, pinned. Trunk copies them from node_modules into `dist/`
//! (index.html's `copy-file` links; the app loads `/msal-browser.min.js`, `auth::MSAL_SCRIPT_URL`),
//! and every build checks the sha256 of each copy in `dist/` against the pin below, taken from the
//! package version beside it. `npm ci` already checks the package's tarball against
//! package-lock.json; the pin adds that a new MSAL (a lock file change, or node_modules changed
//! after install) fails the build until someone has looked at it and updates the pin on purpose.
//!
//! The hash comes from coreutils' `sha256sum` (always there on Debian and Ubuntu), so xtask stays
//! std only.

use crate::json;
use std::path::Path;
use std::process::Command;

pub const PACKAGE: &str = "@azure/msal-browser";
/// The version the hashes below were taken from (package-lock.json must lock this one).
pub const VERSION: &str = "5.30.0";
/// Each shipped file: its name in `dist/`, its path in the package, its sha256. Taken from the
/// package's registry tarball, whose sha512 is package-lock.json's `integrity`.
pub const SHIPPED: [(&str, &str, &str); 2] = [
    (
        "msal-browser.min.js",
        "lib/msal-browser.min.js",
        "1115b080498b79b0b4b621dd3df478b0a9b1035f5d076d5741d1888f06923b84",
    ),
    (
        "msal-redirect-bridge.min.js",
        "lib/redirect-bridge/msal-redirect-bridge.min.js",
        "604aa9eb14e277064636a07b5e0d59bd3e1a398ab9265a614f5247adf2199590",
    ),
];

/// Checks the copies in `root/dist`; Ok has a line for the build log.
pub fn check(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let locked = locked_version(&lock)?;
    let mut actual = Vec::new();
    for (file, _, _) in SHIPPED {
        actual.push((file, sha256_of(&root.join("dist").join(file))?));
    }
    judge(&locked, &actual)
}

/// The version of [`PACKAGE`] that package-lock.json locks.
pub fn locked_version(lock: &str) -> Result<String, String> {
    let lock = json::parse(lock).map_err(|e| format!("package-lock.json: {e}"))?;
    lock.get("packages")
        .and_then(|p| p.get(&format!("node_modules/{PACKAGE}")))
        .and_then(|p| p.get("version"))
        .and_then(json::Json::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("package-lock.json locks no {PACKAGE}"))
}

/// The pure part: the locked version and each file's sha256 (in [`SHIPPED`] order) against the
/// pin. The error says what differs and how to update the pin deliberately.
pub fn judge(locked: &str, actual: &[(&str, String)]) -> Result<String, String> {
    let new_pin = || {
        actual
            .iter()
            .map(|(file, hash)| format!("\n    {file}: {hash}"))
            .collect::<String>()
    };
    if locked != VERSION {
        return Err(format!(
            "MSAL pin: package-lock.json locks {PACKAGE} {locked}, the pin is for {VERSION}. If \
             the change is deliberate: read MSAL's changelog since {VERSION}, run `npm ci` (it \
             checks the package against package-lock.json's integrity), build, and put the version \
             and these sha256 values into VERSION and SHIPPED in xtask/src/msal_pin.rs:\n    \
             version: {locked}{}",
            new_pin()
        ));
    }
    if actual.len() != SHIPPED.len() {
        return Err(format!(
            "MSAL pin: {} files checked, {} pinned",
            actual.len(),
            SHIPPED.len()
        ));
    }
    let wrong: Vec<String> = SHIPPED
        .iter()
        .zip(actual)
        .filter(|((_, _, pinned), (_, hash))| hash != pinned)
        .map(|((file, _, pinned), (_, hash))| {
            format!("dist/{file} has sha256 {hash}, pinned {pinned}")
        })
        .collect();
    if !wrong.is_empty() {
        return Err(format!(
            "MSAL pin: {}. These are not the files {PACKAGE} {VERSION} was pinned with: was \
             node_modules changed after `npm ci`? Reinstall (`rm -rf node_modules && npm ci`) \
             and build again. Only if you mean to ship these files, and know where they come \
             from, put these sha256 values into SHIPPED in xtask/src/msal_pin.rs:{}",
            wrong.join("; "),
            new_pin()
        ));
    }
    let files: Vec<&str> = SHIPPED.iter().map(|(f, _, _)| *f).collect();
    Ok(format!(
        "MSAL pin: dist/{{{}}} match {PACKAGE} {VERSION}",
        files.join(", ")
    ))
}

/// The sha256 of a file, lower-case hex, from `sha256sum`.
pub fn sha256_of(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum")
        .arg("--binary")
        .arg("--")
        .arg(path)
        .output()
        .map_err(|e| format!("could not start sha256sum (coreutils): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "sha256sum {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let hash = text.split_whitespace().next().unwrap_or("");
    if hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(hash.to_string())
    } else {
        Err(format!(
            "sha256sum {}: unexpected output {text:?}",
            path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned() -> Vec<(&'static str, String)> {
        SHIPPED
            .iter()
            .map(|(f, _, h)| (*f, h.to_string()))
            .collect()
    }

    #[test]
    fn the_pinned_files_pass() {
        let ok = judge(VERSION, &pinned()).unwrap();
        assert!(
            ok.contains("msal-browser.min.js") && ok.contains(VERSION),
            "{ok}"
        );
    }

    #[test]
    fn another_file_fails_and_says_how_to_update_the_pin() {
        let mut files = pinned();
        let other = "0".repeat(64);
        files[0].1 = other.clone();
        let e = judge(VERSION, &files).unwrap_err();
        assert!(
            e.contains(&format!(
                "dist/msal-browser.min.js has sha256 {other}, pinned {}",
                SHIPPED[0].2
            )),
            "{e}"
        );
        assert!(!e.contains("dist/msal-redirect-bridge.min.js has"), "{e}");
        assert!(
            e.contains("npm ci") && e.contains("xtask/src/msal_pin.rs"),
            "{e}"
        );
        assert!(e.contains(&format!("msal-browser.min.js: {other}")), "{e}");
    }

    #[test]
    fn another_locked_version_fails_with_the_new_hashes_to_pin() {
        let e = judge("5.31.0", &pinned()).unwrap_err();
        assert!(
            e.contains("locks @azure/msal-browser 5.31.0, the pin is for 5.30.0"),
            "{e}"
        );
        assert!(e.contains("version: 5.31.0"), "{e}");
        assert!(
            e.contains(&format!("msal-redirect-bridge.min.js: {}", SHIPPED[1].2)),
            "{e}"
        );
        assert!(
            judge(VERSION, &pinned()[..1]).is_err(),
            "a file left unchecked"
        );
    }

    #[test]
    fn sha256sum_gives_the_standard_digest() {
        let dir = std::env::temp_dir().join(format!("xtask-msal-pin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("abc.js");
        std::fs::write(&file, "abc").unwrap();
        // FIPS 180-2's test vector for "abc".
        assert_eq!(
            sha256_of(&file).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let missing = sha256_of(&dir.join("missing.js")).unwrap_err();
        assert!(missing.contains("missing.js"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_reads_the_lock_file_and_the_copies_in_dist() {
        let root = std::env::temp_dir().join(format!("xtask-msal-check-{}", std::process::id()));
        std::fs::create_dir_all(root.join("dist")).unwrap();
        let lock = std::fs::read_to_string(crate::util::root().join("package-lock.json")).unwrap();
        std::fs::write(root.join("package-lock.json"), lock).unwrap();
        let missing = check(&root).unwrap_err();
        assert!(missing.contains("msal-browser.min.js"), "{missing}");
        for (file, _, _) in SHIPPED {
            std::fs::write(root.join("dist").join(file), "not MSAL").unwrap();
        }
        let e = check(&root).unwrap_err();
        // Each file is named with the sha256 it has.
        let other = sha256_of(&root.join("dist").join(SHIPPED[0].0)).unwrap();
        assert!(
            e.contains(&format!("dist/msal-browser.min.js has sha256 {other}"))
                && e.contains("dist/msal-redirect-bridge.min.js has sha256"),
            "{e}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_lock_file_locks_the_pinned_version_and_index_html_ships_only_pinned_files() {
        let root = crate::util::root();
        let lock = std::fs::read_to_string(root.join("package-lock.json")).unwrap();
        assert_eq!(locked_version(&lock).unwrap(), VERSION);
        let index = std::fs::read_to_string(root.join("index.html")).unwrap();
        let prefix = format!("href=\"node_modules/{PACKAGE}/");
        let copied: Vec<&str> = index
            .match_indices(&prefix)
            .map(|(at, _)| {
                let rest = &index[at + prefix.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        let pinned: Vec<&str> = SHIPPED.iter().map(|(_, path, _)| *path).collect();
        assert_eq!(
            copied, pinned,
            "index.html copies these MSAL files; pin each one"
        );
        for (file, path, _) in SHIPPED {
            assert!(
                path.ends_with(&format!("/{file}")),
                "Trunk keeps the file name"
            );
        }
        assert!(locked_version("{}").is_err());
    }
}
