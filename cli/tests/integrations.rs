//! The site generators' integrations under `integrations/`, run by the generators themselves
//! against `jauge serve`.

use std::path::Path;
use std::process::Command;

use crate::serve::serve;
use crate::support::campaign_scratch;

/// A Hugo site with one page that uses the shortcode as `shortcode_call`, built; the page's HTML.
fn hugo_page(dir: &Path, shortcode_call: &str) -> Result<String, String> {
    let site = dir.join("hugo");
    let shortcodes = site.join("layouts/shortcodes");
    std::fs::create_dir_all(&shortcodes).unwrap();
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../integrations/hugo/layouts/shortcodes/jauge.html"),
        shortcodes.join("jauge.html"),
    )
    .unwrap();
    std::fs::write(
        site.join("hugo.toml"),
        "baseURL = \"https://blog.example.org/\"\ntitle = \"Blog\"\n",
    )
    .unwrap();
    std::fs::write(
        site.join("layouts/_default/single.html"),
        "<!doctype html><html><body>{{ .Content }}</body></html>\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/support.md"),
        format!("---\ntitle: \"Support us\"\n---\n\nHelp us!\n\n{shortcode_call}\n"),
    )
    .unwrap();
    let output = Command::new("/usr/bin/hugo")
        .args(["--ignoreCache", "--destination", "public", "--cacheDir"])
        .arg(dir.join("hugo-cache"))
        .current_dir(&site)
        .output()
        .expect("hugo (cargo xtask test installs it)");
    if !output.status.success() {
        // Hugo logs its errors on either stream, depending on its version.
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(std::fs::read_to_string(site.join("public/support/index.html")).unwrap())
}

#[test]
fn the_hugo_shortcode_puts_the_gauge_in_a_page() {
    let work = campaign_scratch();
    let served = serve(work.path(), &[], &[], "127.0.0.1:0");
    let base = format!("http://{}/", served.addr);
    let page = hugo_page(work.path(), &format!("{{{{< jauge src=\"{base}\" >}}}}")).unwrap();
    // The figures, in the page with no script, and the status document named absolutely (the
    // folder was built without --base-url).
    assert!(
        page.contains("<div class=\"jauge-snippet\" data-jauge"),
        "{page}"
    );
    assert!(page.contains(" raised"), "{page}");
    assert!(
        page.contains(&format!("data-src=\"{base}status.json\"")),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<script type=\"module\" src=\"{base}jauge.js\"></script>"
    )));
    // Static only.
    let dir = tempfile::tempdir().unwrap();
    let page = hugo_page(
        dir.path(),
        &format!("{{{{< jauge src=\"{base}\" live=\"false\" >}}}}"),
    )
    .unwrap();
    assert!(
        page.contains("jauge-snippet") && !page.contains("<script"),
        "{page}"
    );
    // Nothing at the address: the build stops and says where.
    let dir = tempfile::tempdir().unwrap();
    let error = hugo_page(dir.path(), "{{< jauge src=\"http://127.0.0.1:9/\" >}}").unwrap_err();
    assert!(
        error.contains("jauge shortcode in") && error.contains("127.0.0.1:9/snippet.html"),
        "{error}"
    );
}
