//! Embeds the widget bundle in the binary when `JAUGE_EMBED_WIDGET` names the folder `cargo
//! xtask dist` wrote (`cargo xtask install` sets it), so that an installed `jauge build` makes a
//! complete site anywhere. Without it the binary reads the bundle from a folder at run time.

use std::path::PathBuf;

const FILES: [&str; 3] = ["jauge.js", "jauge_bg.wasm", "jauge.css"];

fn main() {
    println!("cargo:rerun-if-env-changed=JAUGE_EMBED_WIDGET");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let code = match std::env::var_os("JAUGE_EMBED_WIDGET") {
        Some(dir) => {
            // A build script runs in its package's folder: a relative path is read from the
            // workspace's root, where `cargo` is usually run.
            let given = PathBuf::from(&dir);
            let workspace = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("..");
            let dir = std::fs::canonicalize(workspace.join(&given)).unwrap_or_else(|e| {
                panic!("JAUGE_EMBED_WIDGET={}: {e}", given.display())
            });
            let entries: Vec<String> = FILES
                .iter()
                .map(|name| {
                    let path = dir.join(name);
                    assert!(
                        path.is_file(),
                        "JAUGE_EMBED_WIDGET: {} is missing: run `cargo xtask dist` first",
                        path.display()
                    );
                    println!("cargo:rerun-if-changed={}", path.display());
                    format!("({name:?}, include_bytes!({:?}))", path.display().to_string())
                })
                .collect();
            format!(
                "/// The widget bundle built into this binary.\npub const EMBEDDED_WIDGET: Option<&[(&str, &[u8])]> = Some(&[{}]);\n",
                entries.join(", ")
            )
        }
        None => "/// No widget bundle is built into this binary.\npub const EMBEDDED_WIDGET: Option<&[(&str, &[u8])]> = None;\n".to_owned(),
    };
    std::fs::write(out.join("embedded_widget.rs"), code).expect("OUT_DIR is writable");
}
