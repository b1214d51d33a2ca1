//! Running Python with a platform's official package, pinned in `xtask/src/main.rs` and
//! installed by `cargo xtask test`.

use std::process::Command;

/// The standard output of `script` run with `args`; panics with the package to install when
/// Python or `package` (`name==version`) is missing.
pub fn python(package: &str, script: &str, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed");
    assert!(
        output.status.success(),
        "{}\n(the official package: python3 -m pip install {package}; cargo xtask test does)",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
