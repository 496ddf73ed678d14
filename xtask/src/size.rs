//! `cargo xtask size`: what the bytes of each wasm module are, written to BENCHMARKS.md under
//! "## Where the bytes are".
//!
//! Each module is built as it ships (release, wasm-bindgen, `wasm-opt -Oz`), and once more with
//! `wasm-opt -Oz -g`, which keeps the function names (the same code, plus a name section). The
//! named copy is read with `wasmparser` (the Bytecode Alliance's parser, the one wasm-bindgen and
//! wasm-tools use): each function body's size is put in a group by the crate (or, for ours, the
//! module) its name starts with; data segments are a group of their own. The shares are of raw
//! bytes of the shipped code and data; gzip shrinks text more than code, so they are proportions,
//! not gzip bytes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::perf::{gzip_size, kb};
use crate::util::{command, run, target_dir};

pub const SECTION: &str = "## Where the bytes are";

/// One function or data segment of a module: its group and raw size.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: String,
    pub bytes: u64,
}

/// Function bodies (named from the name section where it has them) and data segments.
pub fn items(wasm: &[u8]) -> Result<Vec<Item>, String> {
    use wasmparser::{Name, Parser, Payload};
    let mut imported = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut data = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("wasm: {e}"))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| format!("wasm imports: {e}"))?;
                    if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body.range().len() as u64),
            Payload::DataSection(reader) => {
                for (i, segment) in reader.into_iter().enumerate() {
                    let segment = segment.map_err(|e| format!("wasm data: {e}"))?;
                    data.push(Item {
                        name: format!("data segment {i}"),
                        bytes: segment.data.len() as u64,
                    });
                }
            }
            Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for sub in reader {
                        if let Ok(Name::Function(map)) = sub {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<Item> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| Item {
            name: names
                .get(&(imported + i as u32))
                .cloned()
                .unwrap_or_else(|| "(unnamed function)".into()),
            bytes,
        })
        .collect();
    out.extend(data);
    Ok(out)
}

/// The group a function belongs to: the crate its (demangled) path starts with, for ours the
/// first module under `secret_wizard`; components' `view`s (Yew's generic code with our `html!`
/// and hooks inlined) apart; data segments; the rest.
pub fn group(name: &str) -> String {
    if name == "(unnamed function)" {
        return "unnamed (wasm-bindgen glue)".into();
    }
    if name.starts_with("data segment") {
        return "data: strings and tables".into();
    }
    if !name.contains("::") {
        // `memcmp`, `__multi3`, `__wbindgen_malloc`, `main`: symbols without a crate path.
        return "exports and compiler builtins".into();
    }
    if name.contains("CompStateInner<COMP>") && name.contains("::view") {
        return "yew: function components' bodies (our html! and hooks, inlined)".into();
    }
    // `<T as Trait>::f` is T's; `<&mut T as …>` too.
    let path = name
        .trim_start_matches('<')
        .trim_start_matches('&')
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ");
    let mut segments = path.split("::");
    let first = segments.next().unwrap_or("");
    // Crate names carry a disambiguator in brackets (`core[c5930c85a12de822]`); a primitive
    // type ends at the space before `as`.
    let krate = first.split(['[', ' ', '<']).next().unwrap_or(first);
    match krate {
        "secret_wizard" => {
            let module = segments.next().unwrap_or("");
            let module: String = module
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            format!("ours: {module}")
        }
        "core" | "alloc" | "std" | "f64" | "f32" | "u8" | "u16" | "u32" | "u64" | "usize"
        | "i32" | "i64" | "isize" | "char" | "str" | "bool" | "[T]" => {
            "core, alloc, std (formatting, collections, panics)".into()
        }
        "serde" | "serde_core" | "serde_json" => "serde, serde_json".into(),
        "yew" | "yew_macro" | "implicit_clone" | "prokio" => "yew".into(),
        "wasm_bindgen"
        | "js_sys"
        | "web_sys"
        | "wasm_bindgen_futures"
        | "gloo"
        | "gloo_timers"
        | "gloo_events"
        | "gloo_utils"
        | "gloo_storage" => "wasm-bindgen, js-sys, web-sys, gloo".into(),
        k if !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') =>
        {
            k.to_string()
        }
        _ => "other".into(),
    }
}

/// Groups by total size, largest first: (group, bytes, items).
pub fn grouped(items: &[Item]) -> Vec<(String, u64, usize)> {
    let mut by: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    for item in items {
        let e = by.entry(group(&item.name)).or_default();
        e.0 += item.bytes;
        e.1 += 1;
    }
    let mut out: Vec<(String, u64, usize)> = by.into_iter().map(|(g, (b, n))| (g, b, n)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Strips the `::h0123…` hash and the crates' `[…]` disambiguators, for reading.
pub fn readable(name: &str) -> String {
    let mut s = name.to_string();
    if let Some(at) = s.rfind("::h") {
        if s.len() - at == 19 && s[at + 3..].chars().all(|c| c.is_ascii_hexdigit()) {
            s.truncate(at);
        }
    }
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|c| open + c);
        match close {
            Some(close)
                if close - open == 17
                    && rest[open + 1..close].chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                out.push_str(&rest[..open]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The Markdown for one module.
pub fn module_table(title: &str, items: &[Item], raw: u64, gzip: u64) -> String {
    let total: u64 = items.iter().map(|i| i.bytes).sum();
    let share = |b: u64| format!("{:.1} %", b as f64 * 100.0 / total.max(1) as f64);
    let mut out = format!(
        "### {title}: {} raw, {} gzip as shipped\n\n| group | raw bytes | share | functions or segments |\n|---|---:|---:|---:|\n",
        kb(raw),
        kb(gzip)
    );
    for (g, bytes, n) in grouped(items) {
        out.push_str(&format!("| {g} | {bytes} | {} | {n} |\n", share(bytes)));
    }
    let mut largest: Vec<&Item> = items.iter().collect();
    largest.sort_by_key(|b| std::cmp::Reverse(b.bytes));
    out.push_str("\nLargest single items:\n\n| item | raw bytes |\n|---|---:|\n");
    for item in largest.iter().take(12) {
        let name = readable(&item.name).replace('|', "\\|");
        let name: String = if name.chars().count() > 110 {
            format!("{}…", name.chars().take(110).collect::<String>())
        } else {
            name
        };
        out.push_str(&format!("| `{name}` | {} |\n", item.bytes));
    }
    out
}

/// Builds both modules as they ship and with names, and writes the breakdown to BENCHMARKS.md.
pub fn size(root: &Path) -> Result<(), String> {
    crate::app_module::cargo_build(root, &["secret-wizard", "secret-wizard-boot"])?;
    let work = target_dir(root).join("xtask/size");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let mut body = format!(
        "{SECTION}\n\n`cargo xtask size`: each module built as it ships (release, wasm-bindgen, \
         `wasm-opt -Oz`) and read with its function names kept (`wasm-opt -Oz -g`, the same \
         code). Each function is counted in the crate its name starts with (for ours, the module \
         under `secret_wizard`); the components' `view` functions are Yew's generic code with our \
         `html!` and hooks inlined into it, so they are a group of their own. Raw bytes of code \
         and data; gzip shrinks text more than code, so the shares are proportions, not gzip \
         bytes.\n\n"
    );
    for (bin, title) in [
        ("secret-wizard", "The full app (loaded after sign-in)"),
        ("secret-wizard-boot", "The boot module (the first load)"),
    ] {
        let input = target_dir(root).join(format!("wasm32-unknown-unknown/release/{bin}.wasm"));
        crate::app_module::bindgen(root, &input, &work, bin)?;
        let bg = work.join(format!("{bin}_bg.wasm"));
        let shipped = work.join(format!("{bin}.shipped.wasm"));
        let named = work.join(format!("{bin}.named.wasm"));
        let (bg_s, shipped_s, named_s) = (
            bg.to_string_lossy().to_string(),
            shipped.to_string_lossy().to_string(),
            named.to_string_lossy().to_string(),
        );
        run(&mut command(
            root,
            "wasm-opt",
            &["-Oz", &bg_s, "-o", &shipped_s],
        ))?;
        run(&mut command(
            root,
            "wasm-opt",
            &["-Oz", "-g", &bg_s, "-o", &named_s],
        ))?;
        let raw = std::fs::metadata(&shipped)
            .map_err(|e| e.to_string())?
            .len();
        let gzip = gzip_size(&shipped)?;
        let bytes = std::fs::read(&named).map_err(|e| format!("{}: {e}", named.display()))?;
        let table = module_table(title, &items(&bytes)?, raw, gzip);
        print!("{table}");
        body.push_str(&table);
        body.push('\n');
    }
    let file = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    std::fs::write(
        &file,
        crate::perf::replace_section_named(&old, SECTION, &body),
    )
    .map_err(|e| format!("{}: {e}", file.display()))?;
    println!("wrote {} ({SECTION})", file.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_grouped_by_crate_and_our_module() {
        let cases = [
            ("secret_wizard::wizard::hook::use_wizard::{{closure}}::hab", "ours: wizard"),
            (
                "<secret_wizard::rotation::page::RotationFlow as yew::functional::FunctionProvider>::run::hab",
                "ours: rotation",
            ),
            (
                "<yew::html::component::lifecycle::CompStateInner<COMP> as yew::html::component::lifecycle::Stateful>::view::h42",
                "yew: function components' bodies (our html! and hooks, inlined)",
            ),
            (
                "<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_seq::h1",
                "serde, serde_json",
            ),
            (
                "<f64 as core[c5930c85a12de822]::fmt::Display>::fmt",
                "core, alloc, std (formatting, collections, panics)",
            ),
            ("alloc::raw_vec::finish_grow::h1", "core, alloc, std (formatting, collections, panics)"),
            ("chrono::format::parse::parse_internal::h9", "chrono"),
            ("<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<A>>::malloc", "dlmalloc"),
            ("js_sys::Array::new::h1", "wasm-bindgen, js-sys, web-sys, gloo"),
            ("data segment 3", "data: strings and tables"),
            ("__wbindgen_malloc", "exports and compiler builtins"),
            ("memcmp", "exports and compiler builtins"),
            ("(unnamed function)", "unnamed (wasm-bindgen glue)"),
            ("<T as core::any::Any>::type_id::h1", "other"),
        ];
        for (name, want) in cases {
            assert_eq!(group(name), want, "{name}");
        }
    }

    #[test]
    fn groups_add_up_and_sort_largest_first() {
        let item = |name: &str, bytes| Item {
            name: name.into(),
            bytes,
        };
        let items = [
            item("chrono::a::h1", 10),
            item("secret_wizard::vault::x", 30),
            item("chrono::b::h2", 25),
            item("data segment 0", 5),
        ];
        assert_eq!(
            grouped(&items),
            [
                ("chrono".to_string(), 35, 2),
                ("ours: vault".to_string(), 30, 1),
                ("data: strings and tables".to_string(), 5, 1)
            ]
        );
        let table = module_table("M", &items, 1_000, 400);
        assert!(
            table.starts_with("### M: 1.0 KB raw, 0.4 KB gzip as shipped"),
            "{table}"
        );
        assert!(table.contains("| chrono | 35 | 50.0 % | 2 |"), "{table}");
        assert!(
            table.contains("| `secret_wizard::vault::x` | 30 |"),
            "{table}"
        );
    }

    #[test]
    fn names_are_read_without_hashes() {
        assert_eq!(
            readable("<core[c5930c85a12de822]::net::Ipv6Addr as core[c5930c85a12de822]::fmt::Display>::fmt::h0123456789abcdef"),
            "<core::net::Ipv6Addr as core::fmt::Display>::fmt"
        );
        assert_eq!(readable("a[0]::b"), "a[0]::b");
    }

    #[test]
    fn a_module_is_read_function_by_function() {
        // (module (func $f (result i32) i32.const 7) (data (i32.const 0) "abc")) with a name
        // section naming the function, assembled by hand.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let section = |id: u8, body: &[u8]| {
            let mut s = vec![id, body.len() as u8];
            s.extend_from_slice(body);
            s
        };
        wasm.extend(section(1, &[1, 0x60, 0, 1, 0x7f])); // type: () -> i32
        wasm.extend(section(3, &[1, 0])); // one function of type 0
        wasm.extend(section(5, &[1, 0, 1])); // memory 1
        wasm.extend(section(10, &[1, 4, 0, 0x41, 7, 0x0b])); // body: no locals, i32.const 7, end
        wasm.extend(section(11, &[1, 0, 0x41, 0, 0x0b, 3, b'a', b'b', b'c'])); // data "abc"
        let mut names = vec![4];
        names.extend_from_slice(b"name");
        names.extend_from_slice(&[1, 5, 1, 0, 2, b'm', b'y']); // function 0 is "my"
        wasm.extend(section(0, &names));
        let items = items(&wasm).unwrap();
        assert_eq!(
            items,
            [
                Item {
                    name: "my".into(),
                    bytes: 4
                },
                Item {
                    name: "data segment 0".into(),
                    bytes: 3
                }
            ]
        );
        assert!(super::items(b"not wasm").is_err());
    }
}
