//! `sandbox [--port 8400] [--host 127.0.0.1] [--app-origin URL]... [--seed demo|scale:N]
//! [--kv-cors] [--token-lifetime-secs 3600] [--consent resource=permission,…]... [--wids]`

use std::sync::Arc;

use sandbox::identity::personas;
use sandbox::{Options, Sandbox};

const USAGE: &str =
    "usage: sandbox [--port 8400] [--host 127.0.0.1] [--app-origin http://127.0.0.1:8080]... \
[--seed demo|scale:N] [--kv-cors] [--token-lifetime-secs 3600] \
[--consent graph|arm|keyVault=permission,…]... [--wids]";

struct Args {
    host: String,
    port: u16,
    options: Options,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut host = "127.0.0.1".to_owned();
    let mut port: u16 = 8400;
    let mut origins = Vec::new();
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?
            }
            "--host" => host = value("--host")?,
            "--app-origin" => {
                let origin = value("--app-origin")?;
                let origin = origin.trim_end_matches('/').to_owned();
                if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                    return Err(format!(
                        "--app-origin {origin:?} must start with http:// or https://"
                    ));
                }
                origins.push(origin);
            }
            "--seed" => options.seed = value("--seed")?.parse()?,
            "--kv-cors" => options.kv_cors = true,
            // Tokens carry `wids`, as when the registration sets groupMembershipClaims.
            "--wids" => options.wids = true,
            // What an admin granted secret-wizard, per resource (`arm=` for nothing): to start
            // the sandbox misconfigured on purpose, or with optional permissions granted.
            "--consent" => options.consent.apply_flag(&value("--consent")?)?,
            "--token-lifetime-secs" => {
                options.token_lifetime_secs = value("--token-lifetime-secs")?
                    .parse::<i64>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or("--token-lifetime-secs needs a positive number")?;
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if !origins.is_empty() {
        options.app_origins = origins;
    }
    let url_host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    options.base_url = format!("http://{url_host}:{port}");
    Ok(Args {
        host,
        port,
        options,
    })
}

#[tokio::main]
async fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("sandbox: cannot listen on {}:{}: {e}", args.host, args.port);
            std::process::exit(1);
        }
    };
    let options = args.options;
    let base = options.base_url.clone();
    println!("sandbox listening on {base}");
    println!(
        "  tenant {}  client {}",
        personas::TENANT_ID,
        personas::CLIENT_ID
    );
    println!("  identity {base}/{}/v2.0  graph {base}/graph  arm {base}/arm  key vault {base}/kv/{{vault}}", personas::TENANT_ID);
    println!("  redirect URIs: {}", options.redirect_uris().join(", "));
    println!(
        "  seed {}  key vault CORS {}  wids in tokens {}",
        options.seed,
        if options.kv_cors { "on" } else { "off" },
        if options.wids { "on" } else { "off" }
    );
    let consent = &options.consent;
    println!(
        "  consent: graph [{}]  arm [{}]  key vault [{}]",
        consent.graph.join(" "),
        consent.arm.join(" "),
        consent.key_vault.join(" ")
    );
    for p in personas::ALL {
        println!("  persona {} <{}>: {}", p.name, p.upn, p.role_label);
    }
    let app = sandbox::router(Arc::new(Sandbox::new(options)));
    tokio::select! {
        result = sandbox::server::serve(listener, app) => {
            if let Err(e) = result {
                eprintln!("sandbox: {e}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => println!("sandbox stopped"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_flags() {
        let a = parse(&[]).unwrap();
        assert_eq!((a.host.as_str(), a.port), ("127.0.0.1", 8400));
        assert_eq!(a.options.base_url, "http://127.0.0.1:8400");
        assert_eq!(
            a.options.redirect_uris(),
            ["http://127.0.0.1:8080/redirect.html"]
        );

        let a = parse(&[
            "--port",
            "9000",
            "--app-origin",
            "http://localhost:3000/",
            "--app-origin",
            "http://127.0.0.1:8081",
            "--seed",
            "scale:5",
            "--kv-cors",
            "--token-lifetime-secs",
            "60",
        ])
        .unwrap();
        assert_eq!(a.options.base_url, "http://127.0.0.1:9000");
        assert_eq!(
            a.options.app_origins,
            ["http://localhost:3000", "http://127.0.0.1:8081"]
        );
        assert_eq!(a.options.seed, sandbox::seed::Seed::Scale(5));
        assert!(a.options.kv_cors);
        assert!(!a.options.wids, "no wids unless asked");
        assert_eq!(a.options.token_lifetime_secs, 60);

        let a = parse(&[
            "--consent",
            "arm=",
            "--consent",
            "graph=User.Read,Application.ReadWrite.All,Policy.Read.All",
        ])
        .unwrap();
        assert!(a.options.consent.arm.is_empty());
        assert_eq!(a.options.consent.graph.len(), 3);
        assert!(parse(&["--consent", "graph=Mail.Send"]).is_err());

        assert!(parse(&["--wids"]).unwrap().options.wids);

        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--token-lifetime-secs", "0"]).is_err());
        assert!(parse(&["--app-origin", "localhost"]).is_err());
    }
}
