//! The checks made before sending (`super::TemplateInput`, `check_new`): each says what to
//! change in which field.

use super::*;

pub(super) fn path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

pub(super) fn check_github_repository(repo: &str) -> Option<FieldProblem> {
    if let Some(rest) = repo
        .strip_prefix("https://github.com/")
        .or_else(|| repo.strip_prefix("http://github.com/"))
    {
        let rest = rest.trim_end_matches('/').trim_end_matches(".git");
        return Some(problem(
            Field::Repository,
            format!("Enter owner/name, not the repository's URL: {rest}"),
        ));
    }
    let parts: Vec<&str> = repo.split('/').collect();
    let valid = parts.len() == 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(path_byte));
    (!valid).then(|| {
        problem(
            Field::Repository,
            "Enter the repository as owner/name, for example contoso/payroll-api (letters, digits, \
             -, _ and . only). Case matters: write it as GitHub does.",
        )
    })
}

pub(super) fn check_github_value(scope: GitHubScope, value: &str) -> Option<FieldProblem> {
    let what = match scope {
        GitHubScope::Environment => "environment",
        GitHubScope::Branch => "branch",
        _ => "tag",
    };
    if value.is_empty() {
        return Some(problem(
            Field::Value,
            format!("Enter the {what}'s name exactly as the repository has it (case matters)."),
        ));
    }
    if value.starts_with("refs/") {
        return Some(problem(
            Field::Value,
            format!("Enter the {what}'s name without refs/heads/ or refs/tags/ (for example main): the subject adds it."),
        ));
    }
    None
}

/// An issuer must be an `https` URL with a host, with no spaces, and for GitHub without the
/// trailing `/` that makes every token exchange fail.
pub fn check_issuer(issuer: &str) -> Option<FieldProblem> {
    if issuer.is_empty() {
        return Some(problem(
            Field::Issuer,
            "Enter the issuer: the URL in the iss claim of your platform's tokens.",
        ));
    }
    let Some(rest) = issuer.strip_prefix("https://") else {
        return Some(problem(
            Field::Issuer,
            "The issuer must be an https:// URL, exactly as the iss claim of the tokens has it.",
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || issuer.contains(char::is_whitespace) {
        return Some(problem(
            Field::Issuer,
            "The issuer must be an https:// URL with a host name and no spaces.",
        ));
    }
    if issuer.starts_with(GITHUB_ISSUER) && issuer != GITHUB_ISSUER {
        return Some(problem(
            Field::Issuer,
            format!("GitHub's issuer is exactly {GITHUB_ISSUER}, with no trailing / or path: change it."),
        ));
    }
    None
}

pub(super) fn is_dns_label(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub(super) fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && !s.is_empty() && s.split('.').all(|label| is_dns_label(label, 63))
}

/// The name rule: 3 to 120 letters, digits, `-` or `_`, starting with a letter or digit.
pub fn name_is_valid(name: &str) -> bool {
    let mut bytes = name.bytes();
    (3..=MAX_NAME).contains(&name.len())
        && bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Everything checked before sending: the template's own checks, the name, the audience, the
/// description, and the app's existing credentials (a name or issuer and subject already used).
pub fn check_new(
    input: &TemplateInput,
    name: &str,
    audience: &str,
    description: &str,
    existing: &[FederatedIdentityCredential],
) -> Result<(String, String), Vec<FieldProblem>> {
    let built = input.build();
    let mut problems = built.clone().err().unwrap_or_default();
    let name = name.trim();
    if !name_is_valid(name) {
        problems.push(problem(Field::Name, "Use 3 to 120 letters, digits, hyphens or underscores, starting with a letter or digit (for example github-payroll-production)."));
    } else if let Some(same) = existing.iter().find(|c| c.name.eq_ignore_ascii_case(name)) {
        problems.push(problem(
            Field::Name,
            format!("This app already has a federated credential named \u{201c}{}\u{201d}: choose another name (names can't be changed later).", same.name),
        ));
    }
    let audience = audience.trim();
    if audience.is_empty() {
        problems.push(problem(Field::Audience, "Enter the audience: the aud claim your platform puts in its tokens for Microsoft Entra ID."));
    } else if audience.chars().count() > MAX_VALUE {
        problems.push(problem(
            Field::Audience,
            format!("The audience can be at most {MAX_VALUE} characters: shorten it."),
        ));
    }
    if description.trim().chars().count() > MAX_VALUE {
        problems.push(problem(
            Field::Description,
            format!("The description can be at most {MAX_VALUE} characters: shorten it."),
        ));
    }
    if let Ok((issuer, subject)) = &built {
        if let Some(same) = existing
            .iter()
            .find(|c| &c.issuer == issuer && &c.subject == subject)
        {
            problems.push(problem(
                Field::Subject,
                format!("\u{201c}{}\u{201d} already trusts this issuer and subject, so it already works for this workload: use it, or change what this one trusts.", same.name),
            ));
        }
    }
    match built {
        Ok(pair) if problems.is_empty() => Ok(pair),
        _ => Err(problems),
    }
}
