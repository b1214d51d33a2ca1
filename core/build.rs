//! Compiles the word catalogue (`words/<locale>/<domain>.ftl`) into Rust tables: see
//! `words/compile.rs` for why, and for the subset of Fluent it reads.

#[path = "words/compile.rs"]
mod compile;

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=words");
    let root = Path::new("words");
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    let mut folders: Vec<_> = match std::fs::read_dir(root) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(error) => fail(&[format!("words/: {error}")]),
    };
    folders.sort();
    for folder in folders.iter().filter(|p| p.is_dir()) {
        let locale = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let mut files: Vec<_> = match std::fs::read_dir(folder) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(error) => fail(&[format!("{}: {error}", folder.display())]),
        };
        files.sort();
        for file in files {
            if file.extension().and_then(|e| e.to_str()) != Some("ftl") {
                continue;
            }
            let domain = file
                .file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            match std::fs::read_to_string(&file) {
                Ok(text) => sources.push(compile::Source {
                    locale: locale.to_owned(),
                    domain: domain.to_owned(),
                    path: file.display().to_string(),
                    text,
                }),
                Err(error) => problems.push(format!("{}: {error}", file.display())),
            }
        }
    }
    if !problems.is_empty() {
        fail(&problems);
    }
    match compile::compile(&sources) {
        Ok(code) => {
            let out = Path::new(&std::env::var_os("OUT_DIR").unwrap_or_default()).join("words.rs");
            if let Err(error) = std::fs::write(&out, code) {
                fail(&[format!("{}: {error}", out.display())]);
            }
        }
        Err(errors) => fail(&errors),
    }
}

fn fail(errors: &[String]) -> ! {
    eprintln!("the word catalogue does not compile:");
    for error in errors {
        eprintln!("  {error}");
    }
    std::process::exit(1);
}
